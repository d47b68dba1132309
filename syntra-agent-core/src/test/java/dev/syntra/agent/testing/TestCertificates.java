package dev.syntra.agent.testing;

import dev.syntra.agent.link.PinnedCaTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A private CA and a server certificate for 127.0.0.1 signed by it, made with the JDK's {@code
 * keytool} (no other crypto library is on the agent's class path).
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";

  public final KeyManagerFactory serverKeys;
  public final String caSha256;

  private TestCertificates(KeyManagerFactory serverKeys, String caSha256) {
    this.serverKeys = serverKeys;
    this.caSha256 = caSha256;
  }

  /** Generates a CA and a server certificate chain under {@code dir}. */
  public static TestCertificates generate(Path dir) throws Exception {
    Path ca = dir.resolve("ca.p12");
    Path server = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-keystore",
        ca.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=Syntra Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool(
        "-genkeypair",
        "-keystore",
        server.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2");
    Path csr = dir.resolve("server.csr");
    Path crt = dir.resolve("server.crt");
    Path caCrt = dir.resolve("ca.crt");
    keytool(
        "-certreq",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "server",
        "-file",
        csr.toString());
    keytool(
        "-gencert",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "ca",
        "-infile",
        csr.toString(),
        "-outfile",
        crt.toString(),
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-rfc");
    keytool(
        "-exportcert",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "ca",
        "-rfc",
        "-file",
        caCrt.toString());
    keytool(
        "-importcert",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "ca",
        "-file",
        caCrt.toString(),
        "-noprompt");
    keytool(
        "-importcert",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "server",
        "-file",
        crt.toString(),
        "-noprompt");

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(server)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    X509Certificate caCert;
    try (InputStream in = Files.newInputStream(caCrt)) {
      caCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return new TestCertificates(kmf, PinnedCaTrustManager.fingerprint(caCert));
  }

  /** Runs the JDK's keytool with {@code args}; fails on a non-zero exit. */
  public static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.add(keytool.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
