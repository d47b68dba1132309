package dev.syntra.agent.link;

import dev.syntra.protocol.ProtocolLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the control-plane link.
 *
 * @param endpoint {@code wss://host:7443/agent/v1}; a URL without a path gets {@code /agent/v1}
 * @param caSha256 SHA-256 of the control plane's CA certificate (64 hex digits), or null to trust
 *     the JDK's public CAs with host-name verification
 * @param allowInsecureWs allow a plain {@code ws://} endpoint (development and tests only)
 * @param pingInterval WebSocket ping period (30 s)
 * @param idleTimeout the link is dead after this long without any byte from the server (90 s)
 * @param connectTimeout TCP connect timeout (10 s)
 * @param helloTimeout how long to wait for {@code hello_ok} (30 s)
 * @param backoff reconnect delays
 * @param stableSession a session that lasted this long resets the backoff (60 s)
 * @param maxMessageBytes largest text message accepted from the server (4 MiB)
 */
public record LinkConfig(
    URI endpoint,
    @Nullable String caSha256,
    boolean allowInsecureWs,
    Duration pingInterval,
    Duration idleTimeout,
    Duration connectTimeout,
    Duration helloTimeout,
    BackoffPolicy backoff,
    Duration stableSession,
    int maxMessageBytes) {

  /** The path the control-plane hub serves agents on. */
  public static final String DEFAULT_PATH = "/agent/v1";

  public LinkConfig {
    endpoint = normalize(endpoint, allowInsecureWs, caSha256);
    if (caSha256 != null) {
      caSha256 = PinnedCaTrustManager.normalizePin(caSha256);
    }
    for (Duration d : new Duration[] {pingInterval, idleTimeout, connectTimeout, helloTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("link timeouts must be positive, got " + d);
      }
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes: must be at least 1024");
    }
  }

  /** Defaults for {@code endpoint}: ping 30 s, dead after 90 s, backoff 1 s to 60 s ±20%. */
  public static LinkConfig defaults(
      URI endpoint, @Nullable String caSha256, boolean allowInsecureWs) {
    return new LinkConfig(
        endpoint,
        caSha256,
        allowInsecureWs,
        Duration.ofSeconds(30),
        Duration.ofSeconds(90),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        BackoffPolicy.DEFAULT,
        Duration.ofSeconds(60),
        ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);
  }

  public boolean tls() {
    return endpoint.getScheme().equals("wss");
  }

  /** The port, with the scheme's default. */
  public int port() {
    return endpoint.getPort() > 0 ? endpoint.getPort() : tls() ? 443 : 80;
  }

  private static URI normalize(URI endpoint, boolean allowInsecureWs, @Nullable String pin) {
    String scheme =
        endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("wss") && !scheme.equals("ws")) {
      throw new IllegalArgumentException(
          "--endpoint must be a wss:// URL such as wss://syntra.example.com:7443/agent/v1, got '"
              + endpoint
              + "'");
    }
    if (endpoint.getHost() == null || endpoint.getHost().isBlank()) {
      throw new IllegalArgumentException("--endpoint has no host: '" + endpoint + "'");
    }
    if (scheme.equals("ws") && !allowInsecureWs) {
      throw new IllegalArgumentException(
          "refusing plain ws:// endpoint "
              + endpoint
              + ": the token and every command would cross the network unencrypted. Use wss://,"
              + " or pass --allow-insecure-ws for a local development setup.");
    }
    if (scheme.equals("ws") && pin != null) {
      throw new IllegalArgumentException("--ca-sha256 needs a wss:// endpoint");
    }
    String path = endpoint.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      path = DEFAULT_PATH;
    }
    String query = endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery();
    String authority = endpoint.getRawAuthority();
    return URI.create(scheme + "://" + authority + path + query);
  }
}
