package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-replica resource metrics from the runtime and the health of each managed service, as OTLP
 * metrics: {@code container.cpu.utilization} (0..1 of one core, may exceed 1 with several), {@code
 * container.memory.usage}, {@code container.memory.limit} (only when limited), {@code
 * container.network.io} and {@code container.disk.io} (cumulative bytes, {@code direction}), {@code
 * container.pid.count}; resource: the service attributes plus {@code container.name}. Health: see
 * {@link HealthMetrics}. A service the runtime cannot answer for is skipped this round.
 * Thread-safe.
 */
final class ContainerMetricsCollector {
  static final String SCOPE_NAME = "dev.syntra.agent.container";
  private static final Logger log = LoggerFactory.getLogger(ContainerMetricsCollector.class);

  private final RuntimeAdapter adapter;
  private final Supplier<List<ServiceRef>> services;
  private final HealthMetrics health;
  private final Clock clock;

  ContainerMetricsCollector(
      RuntimeAdapter adapter,
      Supplier<List<ServiceRef>> services,
      HealthMetrics health,
      Clock clock) {
    this.adapter = adapter;
    this.services = services;
    this.health = health;
    this.clock = clock;
  }

  /** Container metrics of every service, and (separately) their health. */
  MetricsData[] collect() {
    MetricsData.Builder containers = MetricsData.newBuilder();
    MetricsData.Builder healths = MetricsData.newBuilder();
    for (ServiceRef service : services.get()) {
      long now = LogRecordMapper.nanos(clock.instant());
      try {
        for (ContainerMetrics replica : adapter.metrics(service)) {
          containers.addResourceMetrics(replica(service, replica));
        }
        ServiceStatus status = adapter.status(service);
        List<Metric> metrics = new ArrayList<>();
        metrics.add(HealthMetrics.statusMetric(List.of(HealthMetrics.runtimeStatus(status, now))));
        metrics.addAll(health.recorded(service));
        healths.addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(OtlpValues.service(service))
                .addScopeMetrics(scope("dev.syntra.agent.health").addAllMetrics(metrics)));
      } catch (RuntimeException e) {
        log.debug("No container metrics of {} this round: {}", service, e.toString());
      }
    }
    return new MetricsData[] {containers.build(), healths.build()};
  }

  private static ResourceMetrics replica(ServiceRef service, ContainerMetrics m) {
    long at = LogRecordMapper.nanos(m.at());
    List<Metric> metrics = new ArrayList<>();
    metrics.add(
        MetricBuilder.gauge(
            "container.cpu.utilization",
            "1",
            "CPU use in cores",
            List.of(MetricBuilder.point(m.cpuPercent() / 100.0, at, List.of()))));
    metrics.add(
        MetricBuilder.gauge(
            "container.memory.usage",
            "By",
            "Memory in use",
            List.of(MetricBuilder.point((double) m.memoryUsageBytes(), at, List.of()))));
    if (m.memoryLimitBytes() > 0) {
      metrics.add(
          MetricBuilder.gauge(
              "container.memory.limit",
              "By",
              "Memory limit",
              List.of(MetricBuilder.point((double) m.memoryLimitBytes(), at, List.of()))));
    }
    metrics.add(
        HostMetricsCollector.io(
            "container.network.io",
            "receive",
            m.networkRxBytes(),
            "transmit",
            m.networkTxBytes(),
            at,
            0));
    metrics.add(
        HostMetricsCollector.io(
            "container.disk.io", "read", m.blockReadBytes(), "write", m.blockWriteBytes(), at, 0));
    metrics.add(
        MetricBuilder.gauge(
            "container.pid.count",
            "{process}",
            "Processes and threads",
            List.of(MetricBuilder.point((double) m.pids(), at, List.of()))));
    return ResourceMetrics.newBuilder()
        .setResource(OtlpValues.replica(service, m.replicaId()))
        .addScopeMetrics(scope(SCOPE_NAME).addAllMetrics(metrics))
        .build();
  }

  private static ScopeMetrics.Builder scope(String name) {
    return ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(name));
  }
}
