package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.ServiceRef;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorsTest {
  private static final ServiceRef WEB = new ServiceRef("acme", "shop", "web");

  @TempDir Path stateDir;
  private final RecordingIntake intake = new RecordingIntake();
  private final FakeLogRuntime runtime = new FakeLogRuntime();

  @Test
  void hostMetricsUseSemanticConventionNames() {
    try (Collectors collectors = Collectors.builder().intake(intake).stateDir(stateDir).build()) {
      collectors.collectMetrics();
      collectors.collectMetrics();
    }
    assertThat(intake.metricNames())
        .contains(
            "system.cpu.utilization",
            "system.cpu.load_average.1m",
            "system.memory.usage",
            "system.memory.utilization",
            "system.filesystem.usage",
            "system.network.io",
            "system.disk.io",
            "system.uptime");
    Metric network =
        intake.metrics().stream()
            .filter(m -> m.getName().equals("system.network.io"))
            .findFirst()
            .orElseThrow();
    assertThat(network.getSum().getIsMonotonic()).isTrue();
    assertThat(network.getSum().getDataPoints(0).getAttributes(0).getKey()).isEqualTo("direction");
  }

  @Test
  void containerMetricsAndHealthPerReplicaAndService() {
    runtime.metrics.add(
        new ContainerMetrics("web-1", Instant.now(), 150, 64 << 20, 128 << 20, 10, 20, 30, 40, 7));
    try (Collectors collectors =
        Collectors.builder()
            .intake(intake)
            .stateDir(stateDir)
            .runtime(runtime)
            .services(() -> List.of(WEB))
            .hostMetrics(false)
            .containerLogs(false)
            .build()) {
      collectors.health().record(WEB, "http", false, Duration.ofMillis(120), 1_000);
      collectors.collectMetrics();
      assertThat(collectors.stats())
          .extracting(CollectorStats::source)
          .contains("container", "health");
    }
    assertThat(intake.metricNames())
        .contains(
            "container.cpu.utilization",
            "container.memory.usage",
            "container.memory.limit",
            "container.network.io",
            "container.disk.io",
            "container.pid.count",
            "syntra.health.status",
            "syntra.health.latency");
    List<String> statuses =
        intake.metrics().stream()
            .filter(m -> m.getName().equals("syntra.health.status"))
            .flatMap(m -> m.getGauge().getDataPointsList().stream())
            .map(p -> p.getAttributes(0).getValue().getStringValue() + "=" + p.getAsDouble())
            .toList();
    assertThat(statuses).containsExactlyInAnyOrder("runtime=1.0", "http=0.0");
    Metric cpu =
        intake.metrics().stream()
            .filter(m -> m.getName().equals("container.cpu.utilization"))
            .findFirst()
            .orElseThrow();
    assertThat(cpu.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1.5);
  }

  @Test
  void startsNamedDaemonThreadsAndClosesIdempotently() {
    Collectors collectors =
        Collectors.builder()
            .intake(intake)
            .stateDir(stateDir)
            .runtime(runtime)
            .services(() -> List.of(WEB))
            .scrapeTargets(List::of)
            .metricsInterval(Duration.ofSeconds(1))
            .build()
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> intake.metricNames().contains("system.cpu.utilization"));
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals("syntra-collect"))
        .singleElement()
        .satisfies(t -> assertThat(t.isDaemon()).isTrue());
    assertThatThrownBy(collectors::start).isInstanceOf(IllegalStateException.class);
    collectors.close();
    collectors.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("syntra-collect")));
  }

  @Test
  void missingRequiredSettingsFailNamingThem() {
    assertThatThrownBy(() -> Collectors.builder().stateDir(stateDir).build())
        .hasMessageContaining("intake is required");
    assertThatThrownBy(() -> Collectors.builder().intake(intake).build())
        .hasMessageContaining("stateDir is required");
    assertThatThrownBy(() -> Collectors.builder().metricsInterval(Duration.ofMillis(10)))
        .hasMessageContaining("at least 1 s");
  }
}
