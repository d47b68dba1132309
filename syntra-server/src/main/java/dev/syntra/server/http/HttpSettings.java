package dev.syntra.server.http;

import static dev.syntra.server.ServerSettings.positiveInt;

import dev.syntra.server.ServerSettings;
import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * Limits of the HTTP port (REST API and UI), from {@code SYNTRA_*} environment variables.
 *
 * @param headerTimeout {@code SYNTRA_HTTP_HEADER_TIMEOUT}, default 10s: a request's line and
 *     headers must arrive this long after its first byte, and a new or kept-alive connection must
 *     send its first byte within it; otherwise the connection is closed
 * @param maxConnections {@code SYNTRA_HTTP_MAX_CONNECTIONS}, default 8192: open connections of all
 *     clients together; more are closed at once
 * @param maxConnectionsPerAddress {@code SYNTRA_HTTP_MAX_CONNECTIONS_PER_ADDRESS}, default 256:
 *     open connections from one client address (a reverse proxy in front counts as one address:
 *     raise it there)
 */
public record HttpSettings(
    Duration headerTimeout, int maxConnections, int maxConnectionsPerAddress) {

  public HttpSettings {
    if (headerTimeout.toMillis() < 100) {
      throw new IllegalArgumentException("headerTimeout: at least 100 ms");
    }
  }

  public static HttpSettings from(Environment env) {
    return new HttpSettings(
        duration(env, "SYNTRA_HTTP_HEADER_TIMEOUT", "10s"),
        positiveInt(env, "SYNTRA_HTTP_MAX_CONNECTIONS", 8192),
        positiveInt(env, "SYNTRA_HTTP_MAX_CONNECTIONS_PER_ADDRESS", 256));
  }

  private static Duration duration(Environment env, String name, String fallback) {
    Duration duration = ServerSettings.duration(env, name, fallback);
    if (duration.toMillis() < 100) {
      throw new IllegalStateException(
          name + ": expected a duration of at least 100ms such as 10s or 500ms, got " + duration);
    }
    return duration;
  }
}
