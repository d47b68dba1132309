package dev.syntra.server.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The hub's own certificate authority, kept in {@code <data dir>/hub}: a CA (10 years) and a server
 * certificate it issues for the hub (1 year, re-issued when it nears expiry or its host names
 * change). Agents pin the CA by the SHA-256 of its DER encoding, which the install command carries,
 * so no public CA or DNS name is needed. Keys are EC P-256, written owner-only (0600).
 */
final class CertificateAuthority {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final String SIGNATURE = "SHA256withECDSA";

  /** A private key and its certificate chain, leaf first. */
  record Identity(PrivateKey key, List<X509Certificate> chain) {}

  private final Path dir;
  private final SecureRandom random = new SecureRandom();

  CertificateAuthority(Path dir) {
    this.dir = dir;
  }

  /**
   * The hub's server identity (leaf + CA), creating the CA on first use and (re-)issuing the server
   * certificate for {@code hostNames} when needed.
   */
  Identity serverIdentity(Collection<String> hostNames) {
    try {
      Files.createDirectories(dir);
      Identity ca = loadOrCreateCa();
      Path certFile = dir.resolve("hub.crt");
      Path keyFile = dir.resolve("hub.key");
      Set<String> names = new TreeSet<>(hostNames);
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        Identity current = new Identity(readKey(keyFile), readCertificates(certFile));
        if (stillGood(current, ca.chain().get(0), names)) {
          return current;
        }
      }
      KeyPair pair = newKeyPair();
      X509Certificate leaf = issueServer(ca, pair, names);
      Identity issued = new Identity(pair.getPrivate(), List.of(leaf, ca.chain().get(0)));
      writePrivate(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      writePublic(certFile, pem(leaf) + pem(ca.chain().get(0)));
      return issued;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the hub certificates in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the hub certificates: " + e.getMessage(), e);
    }
  }

  private Identity loadOrCreateCa()
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Path certFile = dir.resolve("ca.crt");
    Path keyFile = dir.resolve("ca.key");
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      return new Identity(readKey(keyFile), readCertificates(certFile));
    }
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=Syntra agent hub CA " + Long.toHexString(random.nextLong()));
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(CA_VALIDITY)),
            name,
            pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    X509Certificate cert = sign(builder, pair.getPrivate());
    writePrivate(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    writePublic(certFile, pem(cert));
    return new Identity(pair.getPrivate(), List.of(cert));
  }

  private X509Certificate issueServer(Identity ca, KeyPair pair, Set<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X509Certificate caCert = ca.chain().get(0);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            caCert,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(SERVER_VALIDITY)),
            new X500Name("CN=syntra-agent-hub"),
            pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    List<GeneralName> alternatives = new ArrayList<>();
    for (String n : names) {
      alternatives.add(
          isIpAddress(n)
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
    return sign(builder, ca.key());
  }

  private static boolean stillGood(Identity current, X509Certificate ca, Set<String> names)
      throws GeneralSecurityException {
    X509Certificate leaf = current.chain().get(0);
    if (leaf.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return false;
    }
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    Set<String> present = new TreeSet<>();
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    if (sans != null) {
      sans.forEach(san -> present.add(normalized(String.valueOf(san.get(1)))));
    }
    return names.stream().map(CertificateAuthority::normalized).allMatch(present::contains);
  }

  /** An IPv4 dotted quad or an IPv6 literal (host names never contain ':'). */
  static boolean isIpAddress(String name) {
    return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
  }

  /**
   * IP literals in one spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} alike), names lower-case.
   */
  private static String normalized(String name) {
    if (isIpAddress(name)) {
      try {
        return InetAddress.getByName(name).getHostAddress(); // a literal: no DNS lookup
      } catch (IOException notAnAddress) {
        return name;
      }
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
  }

  private BigInteger serial() {
    return new BigInteger(128, random).setBit(127);
  }

  private KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  /** Reads a PEM certificate chain. */
  static List<X509Certificate> readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> chain = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
      if (chain.isEmpty()) {
        throw new GeneralSecurityException(file + " holds no PEM certificate");
      }
      return chain;
    }
  }

  /** Reads an unencrypted PKCS#8 PEM private key (EC or RSA). */
  static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(
          file + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY)");
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new GeneralSecurityException(file + ": unsupported key algorithm (EC, RSA, Ed25519)");
  }

  private static String pem(X509Certificate cert) throws GeneralSecurityException {
    return pem("CERTIFICATE", cert.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void writePrivate(Path file, String content) throws IOException {
    write(file, content, "rw-------");
  }

  private static void writePublic(Path file, String content) throws IOException {
    write(file, content, "rw-r--r--");
  }

  /** Writes atomically: a temp file with the final permissions, fsynced, then moved in place. */
  private static void write(Path file, String content, String permissions) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            file.getFileName().toString(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var channel =
        java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The names a locally generated certificate covers besides the configured hosts. */
  static Set<String> defaultHostNames() {
    Set<String> names = new TreeSet<>(Set.of("localhost", "127.0.0.1", "::1"));
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException unknownHost) {
      // the configured names still apply
    }
    return names;
  }
}
