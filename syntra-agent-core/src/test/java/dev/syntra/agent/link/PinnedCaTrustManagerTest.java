package dev.syntra.agent.link;

import static dev.syntra.agent.testing.TestCertificates.keytool;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chains made with keytool, checked against a pin on their root CA. */
class PinnedCaTrustManagerTest {
  private static final String PASSWORD = "changeit";
  @TempDir static Path dir;
  private static X509Certificate ca;
  private static X509Certificate goodMid;
  private static X509Certificate leafOfGoodMid;
  private static X509Certificate endEntity;
  private static X509Certificate leafOfEndEntity;
  private static X509Certificate clientOnly;
  private static X509Certificate caAsLeaf;
  private static PinnedCaTrustManager trust;

  @BeforeAll
  static void makeChains() throws Exception {
    keypair("ca", "CN=Pinned CA", "bc:c");
    Path caCrt = export("ca");
    ca = read(caCrt);
    goodMid = issue("ca", "mid", "CN=Good Intermediate", "bc:c", "ku=keyCertSign,cRLSign");
    trustChain("mid", caCrt, "ca");
    leafOfGoodMid = issue("mid", "leaf1", "CN=server one", "eku=serverAuth");
    endEntity = issue("ca", "ee", "CN=some other server", "eku=serverAuth");
    trustChain("ee", caCrt, "ca");
    leafOfEndEntity = issue("ee", "leaf2", "CN=impostor");
    clientOnly = issue("ca", "client", "CN=a client", "eku=clientAuth");
    caAsLeaf = issue("ca", "caleaf", "CN=sub CA as server", "bc:c");
    trust = new PinnedCaTrustManager(PinnedCaTrustManager.fingerprint(ca));
  }

  private static void check(X509Certificate... chain) throws CertificateException {
    trust.checkServerTrusted(chain, "ECDHE_ECDSA");
  }

  @Test
  void acceptsALeafUnderAProperIntermediate() {
    assertThatCode(() -> check(leafOfGoodMid, goodMid, ca)).doesNotThrowAnyException();
  }

  @Test
  void refusesAnEndEntityCertificateOfThePinnedCaUsedAsAnIntermediate() {
    assertThatThrownBy(() -> check(leafOfEndEntity, endEntity, ca))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("CN=some other server")
        .hasMessageContaining("not a CA");
  }

  @Test
  void refusesALeafNotIssuedForServers() {
    assertThatThrownBy(() -> check(clientOnly, ca))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("serverAuth");
  }

  @Test
  void refusesACaCertificateAsTheServerLeafUnlessItIsThePin() throws Exception {
    assertThatThrownBy(() -> check(caAsLeaf, ca))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("is a CA certificate");
    PinnedCaTrustManager pinnedOnLeaf =
        new PinnedCaTrustManager(PinnedCaTrustManager.fingerprint(caAsLeaf));
    assertThatCode(() -> pinnedOnLeaf.checkServerTrusted(new X509Certificate[] {caAsLeaf}, "EC"))
        .doesNotThrowAnyException();
  }

  private static Path store(String alias) {
    return dir.resolve(alias + ".p12");
  }

  private static void keypair(String alias, String dname, String... exts) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-keystore",
                store(alias).toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2"));
    for (String ext : exts) {
      args.add("-ext");
      args.add(ext);
    }
    keytool(args.toArray(String[]::new));
  }

  /** A new key pair {@code alias} with a certificate signed by {@code issuer}. */
  private static X509Certificate issue(String issuer, String alias, String dname, String... exts)
      throws Exception {
    keypair(alias, dname);
    Path csr = dir.resolve(alias + ".csr");
    Path crt = dir.resolve(alias + ".crt");
    keytool(
        "-certreq",
        "-keystore",
        store(alias).toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        alias,
        "-file",
        csr.toString());
    List<String> args =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-keystore",
                store(issuer).toString(),
                "-storepass",
                PASSWORD,
                "-alias",
                issuer,
                "-infile",
                csr.toString(),
                "-outfile",
                crt.toString(),
                "-validity",
                "2",
                "-rfc"));
    for (String ext : exts) {
      args.add("-ext");
      args.add(ext);
    }
    keytool(args.toArray(String[]::new));
    return read(crt);
  }

  /** Puts the CA-signed certificate into {@code alias}'s store, so it can sign as that subject. */
  private static void trustChain(String alias, Path caCrt, String caAlias) throws Exception {
    keytool(
        "-importcert",
        "-keystore",
        store(alias).toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        caAlias,
        "-file",
        caCrt.toString(),
        "-noprompt");
    keytool(
        "-importcert",
        "-keystore",
        store(alias).toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        alias,
        "-file",
        dir.resolve(alias + ".crt").toString(),
        "-noprompt");
  }

  private static Path export(String alias) throws Exception {
    Path crt = dir.resolve(alias + ".crt");
    keytool(
        "-exportcert",
        "-keystore",
        store(alias).toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        alias,
        "-rfc",
        "-file",
        crt.toString());
    return crt;
  }

  private static X509Certificate read(Path crt) throws Exception {
    try (InputStream in = Files.newInputStream(crt)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
