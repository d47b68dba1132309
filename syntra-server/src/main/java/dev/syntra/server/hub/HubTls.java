package dev.syntra.server.hub;

import dev.syntra.server.ServerSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The hub's TLS identity: either the certificate configured with {@code SYNTRA_HUB_TLS_CERT} /
 * {@code SYNTRA_HUB_TLS_KEY}, or one issued by the hub's own {@link CertificateAuthority}, whose
 * fingerprint ({@link #caSha256()}) install commands carry so agents can pin it (the same CA on
 * every instance sharing the database: {@link SharedHubCa}). Absent when the hub runs plain {@code
 * ws://} ({@code SYNTRA_HUB_INSECURE=true}).
 */
@Component
public class HubTls {
  private final @Nullable CertificateAuthority authority;
  private final Set<String> hostNames = new TreeSet<>();
  private final @Nullable String caSha256;
  private volatile @Nullable SslContext context;

  HubTls(HubSettings hub, ServerSettings server, Environment env, SharedHubCa shared) {
    if (!hub.tls()) {
      authority = null;
      caSha256 = null;
      return;
    }
    try {
      if (hub.certFile() != null && hub.keyFile() != null) {
        authority = null;
        caSha256 = null;
        context =
            build(
                new CertificateAuthority.Identity(
                    CertificateAuthority.readKey(hub.keyFile()),
                    CertificateAuthority.readCertificates(hub.certFile())));
      } else {
        hostNames.addAll(CertificateAuthority.defaultHostNames());
        addHost(hostNames, server.publicUrl());
        addHost(hostNames, env.getProperty("SYNTRA_HUB_URL"));
        Path dir = server.dataDir().resolve("hub");
        shared.beforeLoading(dir);
        authority = new CertificateAuthority(dir);
        CertificateAuthority.Identity identity = authority.serverIdentity(hostNames);
        caSha256 = sha256(identity.chain().getLast());
        shared.loaded(dir, caSha256);
        context = build(identity);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hub's TLS certificate: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("invalid hub TLS certificate or key: " + e.getMessage(), e);
    }
  }

  /**
   * Re-issues the hub's own server certificate when it nears expiry (the hub calls this daily), so
   * a long-running server never serves an expired certificate. New connections use it at once.
   */
  void renewIfNeeded() throws GeneralSecurityException, IOException {
    if (authority != null) {
      context = build(authority.serverIdentity(hostNames));
    }
  }

  private static SslContext build(CertificateAuthority.Identity identity)
      throws javax.net.ssl.SSLException {
    List<X509Certificate> chain = identity.chain();
    return SslContextBuilder.forServer(identity.key(), chain.toArray(X509Certificate[]::new))
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }

  /** The server-side TLS context for a new connection, or empty for plain {@code ws://}. */
  Optional<SslContext> context() {
    return Optional.ofNullable(context);
  }

  /**
   * The SHA-256 (lower-case hex) of the DER encoding of the hub's own CA certificate, which agents
   * pin ({@code --ca-sha256}); empty when TLS is off or a configured certificate is used.
   */
  public Optional<String> caSha256() {
    return Optional.ofNullable(caSha256);
  }

  static String sha256(X509Certificate certificate) throws GeneralSecurityException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }

  private static void addHost(Set<String> names, @Nullable String url) {
    if (url == null || url.isBlank()) {
      return;
    }
    try {
      String host = URI.create(url.strip()).getHost();
      if (host != null && !host.isBlank()) {
        names.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      }
    } catch (IllegalArgumentException malformed) {
      // AgentInstall validates these URLs and reports them clearly
    }
  }
}
