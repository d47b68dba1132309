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
 * only if some certificate in it has exactly that hash, every certificate below it is signed by the
 * one above it, and all of them, the pinned one included, are currently valid. Host names are not
 * checked: the pin names the control plane's private CA, which replaces that check.
 *
 * <p>Immutable and thread-safe. Trusts no clients.
 */
public final class PinnedCaTrustManager extends X509ExtendedTrustManager {
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
              "certificate '"
                  + chain[i].getSubjectX500Principal().getName()
                  + "' is not signed by '"
                  + chain[i + 1].getSubjectX500Principal().getName()
                  + "'",
              e);
        }
      }
    }
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
