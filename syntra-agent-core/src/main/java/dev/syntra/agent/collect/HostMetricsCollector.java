package dev.syntra.agent.collect;

import dev.syntra.agent.metrics.ProcFs;
import dev.syntra.agent.metrics.SystemMetricsCollector;
import dev.syntra.protocol.message.SystemMetrics;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Host metrics from {@code /proc} under OpenTelemetry semantic-convention names: {@code
 * system.cpu.utilization} (0..1, overall and per {@code cpu}), {@code system.cpu.load_average.1m},
 * {@code system.memory.usage} and {@code system.memory.utilization} ({@code state}=used/free),
 * {@code system.filesystem.usage} ({@code state}=used/free, of the file system holding the state
 * directory), {@code system.network.io} and {@code system.disk.io} (cumulative bytes, {@code
 * direction}=receive/transmit, read/write), {@code system.uptime}. Resource: {@code host.name}. CPU
 * utilization is measured between two collections. Thread-safe.
 */
final class HostMetricsCollector {
  static final String SCOPE_NAME = "dev.syntra.agent.host";

  private final SystemMetricsCollector system;
  private final DiskStats disks;
  private final Resource resource;
  private final Clock clock;

  HostMetricsCollector(ProcFs proc, Path procRoot, Path diskPath, Clock clock) {
    this.system = new SystemMetricsCollector(proc, diskPath);
    this.disks = new DiskStats(procRoot);
    this.clock = clock;
    String host;
    try {
      host = proc.hostname();
    } catch (RuntimeException e) {
      host = "unknown";
    }
    this.resource =
        Resource.newBuilder().addAttributes(OtlpValues.attribute("host.name", host)).build();
    system.prime();
  }

  synchronized ResourceMetrics collect() {
    SystemMetrics m = system.collect();
    long now = LogRecordMapper.nanos(clock.instant());
    long boot = now - m.uptimeSeconds() * 1_000_000_000L;
    List<Metric> metrics = new ArrayList<>();
    List<NumberDataPoint> cpu = new ArrayList<>();
    cpu.add(MetricBuilder.point(m.cpuPercent() / 100.0, now, List.of()));
    for (int i = 0; i < m.cpuPerCorePercent().size(); i++) {
      cpu.add(
          MetricBuilder.point(
              m.cpuPerCorePercent().get(i) / 100.0,
              now,
              List.of(OtlpValues.attribute("cpu", "cpu" + i))));
    }
    metrics.add(MetricBuilder.gauge("system.cpu.utilization", "1", "CPU busy share", cpu));
    metrics.add(
        MetricBuilder.gauge(
            "system.cpu.load_average.1m",
            "{thread}",
            "1-minute load average",
            List.of(MetricBuilder.point(m.load1(), now, List.of()))));
    long memFree = Math.max(0, m.memoryTotalBytes() - m.memoryUsedBytes());
    metrics.add(
        usage("system.memory.usage", "Memory in use", m.memoryUsedBytes(), memFree, now, boot));
    double total = Math.max(1, m.memoryTotalBytes());
    metrics.add(
        MetricBuilder.gauge(
            "system.memory.utilization",
            "1",
            "Memory share",
            List.of(
                MetricBuilder.point(m.memoryUsedBytes() / total, now, List.of(state("used"))),
                MetricBuilder.point(memFree / total, now, List.of(state("free"))))));
    long diskFree = Math.max(0, m.diskTotalBytes() - m.diskUsedBytes());
    metrics.add(
        usage(
            "system.filesystem.usage",
            "File system of the state directory",
            m.diskUsedBytes(),
            diskFree,
            now,
            boot));
    metrics.add(
        io(
            "system.network.io",
            "receive",
            m.networkRxBytes(),
            "transmit",
            m.networkTxBytes(),
            now,
            boot));
    DiskStats.Io disk = disks.read();
    metrics.add(
        io("system.disk.io", "read", disk.readBytes(), "write", disk.writeBytes(), now, boot));
    metrics.add(
        MetricBuilder.gauge(
            "system.uptime",
            "s",
            "Seconds since boot",
            List.of(MetricBuilder.point((double) m.uptimeSeconds(), now, List.of()))));
    return ResourceMetrics.newBuilder()
        .setResource(resource)
        .addScopeMetrics(
            ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME))
                .addAllMetrics(metrics))
        .build();
  }

  private static Metric usage(
      String name, String description, long used, long free, long now, long start) {
    return MetricBuilder.sum(
        name,
        "By",
        description,
        false,
        List.of(
            MetricBuilder.point(used, now, start, List.of(state("used"))),
            MetricBuilder.point(free, now, start, List.of(state("free")))));
  }

  static Metric io(
      String name,
      String first,
      long firstBytes,
      String second,
      long secondBytes,
      long now,
      long start) {
    return MetricBuilder.sum(
        name,
        "By",
        "Bytes since start",
        true,
        List.of(
            MetricBuilder.point(firstBytes, now, start, List.of(direction(first))),
            MetricBuilder.point(secondBytes, now, start, List.of(direction(second)))));
  }

  private static KeyValue state(String state) {
    return OtlpValues.attribute("state", state);
  }

  static KeyValue direction(String direction) {
    return OtlpValues.attribute("direction", direction);
  }
}
