package dev.syntra.server.hub;

import static dev.syntra.server.ServerSettings.duration;
import static dev.syntra.server.ServerSettings.positiveInt;

import dev.syntra.protocol.ProtocolLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The agent hub's configuration, from {@code SYNTRA_*} environment variables (or system properties
 * of the same names).
 *
 * @param enabled {@code SYNTRA_HUB_ENABLED}, default true
 * @param bindAddress {@code SYNTRA_HUB_BIND}, default {@code 0.0.0.0} (agents connect from other
 *     machines)
 * @param port {@code SYNTRA_HUB_PORT}, default 7443; 0 picks a free port (tests)
 * @param tls false only with {@code SYNTRA_HUB_INSECURE=true}: plain {@code ws://}, for local
 *     development
 * @param certFile {@code SYNTRA_HUB_TLS_CERT}: a PEM certificate chain to use instead of the hub's
 *     own certificate authority (then agents use their default trust store, without a pin)
 * @param keyFile {@code SYNTRA_HUB_TLS_KEY}: the PKCS#8 PEM key of {@code certFile}
 * @param heartbeatInterval {@code SYNTRA_AGENT_HEARTBEAT_INTERVAL}, default 30s: sent to agents
 * @param offlineAfter {@code SYNTRA_AGENT_OFFLINE_AFTER}, default 90s: a server whose agent sent no
 *     heartbeat for this long is marked offline and its link closed
 * @param helloTimeout a connection without a valid {@code agent_hello} this long after connecting
 *     is closed (10 s)
 * @param maxFrameBytes the largest WebSocket message accepted once a session is open ({@link
 *     ProtocolLimits#MAX_TEXT_MESSAGE_BYTES}, 4 MiB)
 * @param helloMaxBytes the largest WebSocket frame or message accepted before {@code hello_ok} (64
 *     KiB): an unauthenticated peer cannot make the hub buffer megabytes
 * @param maxConnections {@code SYNTRA_HUB_MAX_CONNECTIONS}, default 10000: open connections of all
 *     addresses together; more are closed at once (counted in {@code syntra_hub_refused_total})
 * @param maxConnectionsPerAddress {@code SYNTRA_HUB_MAX_CONNECTIONS_PER_ADDRESS}, default 256: open
 *     connections from one remote address (raise it when many agents share one NAT address)
 * @param helloFailuresPerMinute {@code SYNTRA_HUB_HELLO_FAILURES_PER_MINUTE}, default 30: failed
 *     hellos (registrations and reconnects) per remote address before further ones are refused
 */
public record HubSettings(
    boolean enabled,
    String bindAddress,
    int port,
    boolean tls,
    @Nullable Path certFile,
    @Nullable Path keyFile,
    Duration heartbeatInterval,
    Duration offlineAfter,
    Duration helloTimeout,
    int maxFrameBytes,
    int helloMaxBytes,
    int maxConnections,
    int maxConnectionsPerAddress,
    int helloFailuresPerMinute) {

  public static HubSettings from(Environment env) {
    String cert = env.getProperty("SYNTRA_HUB_TLS_CERT", "");
    String key = env.getProperty("SYNTRA_HUB_TLS_KEY", "");
    if (cert.isBlank() != key.isBlank()) {
      throw new IllegalStateException(
          "SYNTRA_HUB_TLS_CERT and SYNTRA_HUB_TLS_KEY must be set together (or neither, to use"
              + " the hub's own certificate authority)");
    }
    String port = env.getProperty("SYNTRA_HUB_PORT", "7443").strip();
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
      throw new IllegalStateException(
          "SYNTRA_HUB_PORT: expected a port 0-65535, got '" + port + "'");
    }
    return new HubSettings(
        Boolean.parseBoolean(env.getProperty("SYNTRA_HUB_ENABLED", "true")),
        env.getProperty("SYNTRA_HUB_BIND", "0.0.0.0").strip(),
        Integer.parseInt(port),
        !Boolean.parseBoolean(env.getProperty("SYNTRA_HUB_INSECURE", "false")),
        cert.isBlank() ? null : Path.of(cert.strip()),
        key.isBlank() ? null : Path.of(key.strip()),
        duration(env, "SYNTRA_AGENT_HEARTBEAT_INTERVAL", "30s"),
        duration(env, "SYNTRA_AGENT_OFFLINE_AFTER", "90s"),
        Duration.ofSeconds(10),
        ProtocolLimits.MAX_TEXT_MESSAGE_BYTES,
        64 << 10,
        positiveInt(env, "SYNTRA_HUB_MAX_CONNECTIONS", 10_000),
        positiveInt(env, "SYNTRA_HUB_MAX_CONNECTIONS_PER_ADDRESS", 256),
        positiveInt(env, "SYNTRA_HUB_HELLO_FAILURES_PER_MINUTE", 30));
  }
}
