package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the runtime decides a replica is healthy: an HTTP GET of {@code path} answering 2xx/3xx, or a
 * TCP connect, on {@code port} of the replica. A replica is healthy after one success and unhealthy
 * after {@code retries} consecutive failures; failures during {@code startPeriod} do not count.
 */
public record HealthCheck(
    Type type,
    @Nullable String path,
    int port,
    Duration interval,
    Duration timeout,
    int retries,
    Duration startPeriod) {

  /** Probe kind. */
  public enum Type {
    HTTP,
    TCP
  }

  public HealthCheck {
    Checks.notNull(type, "type");
    if (type == Type.HTTP && (path == null || !path.startsWith("/"))) {
      throw new IllegalArgumentException(
          "path: an HTTP health check needs a path starting with '/'");
    }
    if (type == Type.TCP && path != null) {
      throw new IllegalArgumentException("path: a TCP health check has no path");
    }
    Checks.range(port, 1, 65535, "port");
    requireBetween(interval, Duration.ofMillis(100), Duration.ofHours(1), "interval_ms");
    requireBetween(timeout, Duration.ofMillis(100), Duration.ofMinutes(10), "timeout_ms");
    Checks.range(retries, 1, 100, "retries");
    requireBetween(startPeriod, Duration.ZERO, Duration.ofHours(1), "start_period_ms");
  }

  /** HTTP GET of {@code path}: every 5 s, 3 s timeout, 3 retries, no start period. */
  public static HealthCheck http(String path, int port) {
    return new HealthCheck(
        Type.HTTP, path, port, Duration.ofSeconds(5), Duration.ofSeconds(3), 3, Duration.ZERO);
  }

  /** TCP connect: every 5 s, 3 s timeout, 3 retries, no start period. */
  public static HealthCheck tcp(int port) {
    return new HealthCheck(
        Type.TCP, null, port, Duration.ofSeconds(5), Duration.ofSeconds(3), 3, Duration.ZERO);
  }

  private static void requireBetween(Duration value, Duration min, Duration max, String field) {
    Checks.notNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          field
              + ": must be between "
              + min.toMillis()
              + " and "
              + max.toMillis()
              + " ms, was "
              + value.toMillis());
    }
  }
}
