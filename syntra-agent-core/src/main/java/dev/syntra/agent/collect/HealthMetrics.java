package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Health-check results as metrics: {@code syntra.health.status} (gauge, 1 healthy / 0 not) and
 * {@code syntra.health.latency} (gauge, seconds; only for checks that measure one), per service,
 * with attribute {@code syntra.health.check} naming the check kind.
 *
 * <p>This agent runs no health checks of its own today ({@code configure_health_check} answers
 * {@code unsupported}; the runtime runs the deploy spec's check). So every collection derives kind
 * {@code runtime} from the runtime's replica health (healthy when every running replica is healthy
 * or has no check, and at least one runs). A future agent-side checker reports through the hook
 * {@link #record}; its latest result per service and kind is emitted on each collection.
 * Thread-safe.
 */
public final class HealthMetrics {
  /** One result of a check the agent ran. */
  public record Result(boolean healthy, Duration latency, long atNanos) {}

  private record Key(ServiceRef service, String kind) {}

  private final Map<Key, Result> results = new ConcurrentHashMap<>();

  /**
   * Records the result of a health check the agent ran itself; thread-safe, never throws.
   *
   * @param kind the check kind, e.g. {@code http} or {@code tcp}
   */
  public void record(
      ServiceRef service, String kind, boolean healthy, Duration latency, long timeUnixNano) {
    results.put(new Key(service, kind), new Result(healthy, latency, timeUnixNano));
  }

  /** Forgets the recorded results of {@code service} (it was removed). */
  public void forget(ServiceRef service) {
    results.keySet().removeIf(k -> k.service().equals(service));
  }

  /** Runtime-derived status of one service. */
  static NumberDataPoint runtimeStatus(ServiceStatus status, long now) {
    long running = 0;
    boolean healthy = true;
    for (ReplicaStatus replica : status.replicas()) {
      if (replica.state() != ReplicaStatus.State.RUNNING) {
        continue;
      }
      running++;
      healthy &=
          replica.health() == ReplicaStatus.Health.HEALTHY
              || replica.health() == ReplicaStatus.Health.NONE;
    }
    return MetricBuilder.point(running > 0 && healthy ? 1.0 : 0.0, now, List.of(kind("runtime")));
  }

  /** Metrics of the recorded results of {@code service}. */
  List<Metric> recorded(ServiceRef service) {
    List<NumberDataPoint> status = new ArrayList<>();
    List<NumberDataPoint> latency = new ArrayList<>();
    results.forEach((key, result) -> {
      if (key.service().equals(service)) {
        status.add(
            MetricBuilder.point(
                result.healthy() ? 1.0 : 0.0, result.atNanos(), List.of(kind(key.kind()))));
        latency.add(
            MetricBuilder.point(
                result.latency().toNanos() / 1e9, result.atNanos(), List.of(kind(key.kind()))));
      }
    });
    if (status.isEmpty()) {
      return List.of();
    }
    return List.of(
        statusMetric(status),
        MetricBuilder.gauge("syntra.health.latency", "s", "Health check latency", latency));
  }

  static Metric statusMetric(List<NumberDataPoint> points) {
    return MetricBuilder.gauge(
        "syntra.health.status", "1", "1 when the service is healthy, else 0", points);
  }

  private static io.opentelemetry.proto.common.v1.KeyValue kind(String kind) {
    return OtlpValues.attribute("syntra.health.check", kind);
  }
}
