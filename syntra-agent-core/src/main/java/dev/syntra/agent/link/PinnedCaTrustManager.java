package dev.syntra.agent.link;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server whose certificate chain leads to one CA certificate, named by the SHA-256 of its
 * DER encoding (the {@code --ca-sha256} pin, like kubeadm's discovery hash). The chain is accepted
 * only if some certificate in it has exactly that hash and:
 *
 * <ul>
 *   <li>every certificate below it is signed by the one above it, and all of them, the pinned one
 *       included, are currently valid;
 *   <li>every certificate that signs another (each above the leaf, the pinned one included) is a
 *       CA: basic constraints {@code cA=true}, a path length that allows the CAs below it, and the
 *       {@code keyCertSign} key usage when it has a key-usage extension. Without this, any
 *       end-entity certificate the private CA ever issued (another server's, a client's) could sign
 *       a certificate for an impostor;
 *   <li>the leaf is not a CA unless it is the pinned certificate itself, and carries the {@code
 *       serverAuth} extended key usage when it has an extended-key-usage extension.
 * </ul>
 *
 * <p>Host names are deliberately not checked. The pin names the control plane's own private CA, not
 * a public one shared with the rest of the internet, so what a host-name check protects against
 * (another holder of a certificate from the same CA) does not arise; and agents often reach the
 * control plane by an IP address or an internal name the certificate was not issued for.
 *
 * <p>Immutable and thread-safe. Trusts no clients.
 */
public final class PinnedCaTrustManager extends X509ExtendedTrustManager {
  /** Index of keyCertSign in {@link X509Certificate#getKeyUsage()}. */
  private static final int KEY_CERT_SIGN = 5;

  /** The serverAuth extended key usage (RFC 5280 §4.2.1.12). */
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private final byte[] pin;

  /** A trust manager for the CA whose DER encoding has SHA-256 {@code caSha256Hex}. */
  public PinnedCaTrustManager(String caSha256Hex) {
    this.pin = HexFormat.of().parseHex(normalizePin(caSha256Hex));
  }

  /**
   * The canonical form of a pin: 64 lower-case hex digits. Accepts upper case, an optional {@code
   * sha256:} prefix and {@code :} separators (as {@code openssl x509 -fingerprint} prints them).
   *
   * @throws IllegalArgumentException when it is not a SHA-256 in hex
   */
  public static String normalizePin(String value) {
    String pin = value.trim().toLowerCase(Locale.ROOT);
    if (pin.startsWith("sha256:")) {
      pin = pin.substring("sha256:".length());
    }
    pin = pin.replace(":", "");
    if (!pin.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "--ca-sha256 must be the SHA-256 of the CA certificate as 64 hex digits, e.g. the output"
              + " of: openssl x509 -in ca.pem -outform DER | sha256sum");
    }
    return pin;
  }

  /** The SHA-256 of {@code certificate}'s DER encoding, in lower-case hex. */
  public static String fingerprint(X509Certificate certificate)
      throws CertificateEncodingException {
    return HexFormat.of().formatHex(sha256(certificate.getEncoded()));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the agent does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the agent does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the agent does not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private void verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    int pinned = -1;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < chain.length; i++) {
      byte[] hash = sha256(chain[i].getEncoded());
      seen.add(HexFormat.of().formatHex(hash));
      if (MessageDigest.isEqual(hash, pin)) {
        pinned = i;
        break;
      }
    }
    if (pinned < 0) {
      throw new CertificateException(
          "the control plane's certificate chain does not contain the CA pinned by --ca-sha256 "
              + HexFormat.of().formatHex(pin)
              + "; the chain has "
              + seen
              + ". Check the pin, or you may be talking to another server.");
    }
    for (int i = 0; i <= pinned; i++) {
      chain[i].checkValidity();
      if (i < pinned) {
        try {
          chain[i].verify(chain[i + 1].getPublicKey());
        } catch (GeneralSecurityException e) {
          throw new CertificateException(
              "certificate '" + name(chain[i]) + "' is not signed by '" + name(chain[i + 1]) + "'",
              e);
        }
      }
    }
    for (int i = 1; i <= pinned; i++) {
      checkIssuer(chain[i], i - 1);
    }
    checkLeaf(chain[0], pinned == 0);
  }

  /** {@code issuer} signs a certificate with {@code casBelow} intermediate CAs under it. */
  private static void checkIssuer(X509Certificate issuer, int casBelow)
      throws CertificateException {
    int pathLength = issuer.getBasicConstraints();
    if (pathLength < 0) {
      throw new CertificateException(
          "certificate '"
              + name(issuer)
              + "' signs another certificate in the chain but is not a CA (no basic constraints"
              + " cA=true); refusing the chain");
    }
    if (pathLength < casBelow) {
      throw new CertificateException(
          "CA certificate '"
              + name(issuer)
              + "' allows "
              + pathLength
              + " intermediate CAs below it, but the chain has "
              + casBelow);
    }
    boolean[] usage = issuer.getKeyUsage();
    if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
      throw new CertificateException(
          "CA certificate '" + name(issuer) + "' may not sign certificates (no keyCertSign usage)");
    }
  }

  private static void checkLeaf(X509Certificate leaf, boolean isPinned)
      throws CertificateException {
    if (!isPinned && leaf.getBasicConstraints() >= 0) {
      throw new CertificateException(
          "the server certificate '" + name(leaf) + "' is a CA certificate; refusing it");
    }
    List<String> purposes = leaf.getExtendedKeyUsage();
    if (purposes != null && !purposes.contains(SERVER_AUTH)) {
      throw new CertificateException(
          "the server certificate '"
              + name(leaf)
              + "' is not issued for TLS servers (its extended key usage "
              + purposes
              + " lacks serverAuth)");
    }
  }

  private static String name(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "PinnedCaTrustManager[sha256=" + HexFormat.of().formatHex(pin) + "]";
  }
}
