package dev.syntra.telemetry.sampling;

import static dev.syntra.telemetry.sampling.SamplingFixtures.infoLogs;
import static dev.syntra.telemetry.sampling.SamplingFixtures.log;
import static dev.syntra.telemetry.sampling.SamplingFixtures.logs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.sampling.SamplingFixtures.RecordingIntake;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSamplingTest {
  private final MutableClock clock = new MutableClock();
  private final RecordingIntake next = new RecordingIntake();
  private final TelemetrySampler sampler =
      TelemetrySampler.builder(next)
          .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withLogLimit(10, 20)))
          .clock(clock)
          .build();

  private long keptLogs(boolean priority) {
    return next.chunks.stream()
        .filter(c -> c.priority() == priority)
        .mapToLong(c -> c.counts().logRecords())
        .sum();
  }

  @Test
  void rateLimitsLogsPerServiceWithABurstAndCountsTheDrops() {
    sampler.accept(logs("chatty", infoLogs(50)));
    sampler.accept(logs("calm", infoLogs(5)));
    clock.advance(Duration.ofSeconds(1));
    sampler.accept(logs("chatty", infoLogs(50)));

    assertThat(keptLogs(false)).isEqualTo(20 + 5 + 10);
    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.LOGS, SamplingOutcome.KEPT)).isEqualTo(35);
    assertThat(snapshot.count(Signal.LOGS, SamplingOutcome.RATE_LIMITED)).isEqualTo(105 - 35);
  }

  @Test
  void countsNoRateLimitedLogsForARefusedRequest() {
    next.answer = c -> IntakeResult.refused(1, "full", Duration.ofSeconds(1));
    assertThat(sampler.accept(logs("chatty", infoLogs(50))).isRefused()).isTrue();

    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.LOGS, SamplingOutcome.RATE_LIMITED)).isZero();
    assertThat(snapshot.count(Signal.LOGS, SamplingOutcome.KEPT)).isZero();
  }

  @Test
  void keepsErrorLogsAsPriorityAboveTheLimit() {
    List<LogRecord> records = new ArrayList<>(infoLogs(30));
    records.add(log("boom", 17));
    records.add(log("fatal", 21));
    records.add(log("text only", 0).toBuilder().setSeverityText("error").build());
    records.add(log("warn", 13));

    sampler.accept(logs("chatty", records));

    assertThat(keptLogs(true)).isEqualTo(3);
    assertThat(keptLogs(false)).isEqualTo(20);
    TelemetryChunk priority =
        next.chunks.stream().filter(TelemetryChunk::priority).findFirst().get();
    assertThat(priority.logs().getResourceLogs(0).getResource())
        .isEqualTo(SamplingFixtures.resource("chatty"));
    assertThat(priority.logs().getResourceLogs(0).getScopeLogs(0).getScope())
        .isEqualTo(SamplingFixtures.scope("log"));
  }

  @Test
  void metricsPassThroughUntouched() {
    MetricsData metrics =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(SamplingFixtures.resource("shop"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("m")
                                    .setGauge(
                                        Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder().setAsInt(1))))))
            .build();
    TelemetryChunk chunk = TelemetryChunk.of(metrics, false);

    sampler.accept(chunk);

    assertThat(next.chunks).containsExactly(chunk);
    assertThat(sampler.snapshot().count(Signal.METRICS, SamplingOutcome.KEPT)).isEqualTo(1);
  }

  @Test
  void aMixedChunkKeepsItsMetricsWhenLogsAreDropped() {
    TelemetryChunk logsChunk = logs("chatty", infoLogs(30));
    MetricsData metrics =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(SamplingFixtures.resource("m")))
            .build();
    sampler.accept(new TelemetryChunk(logsChunk.traces(), logsChunk.logs(), metrics, false));

    assertThat(next.chunks).hasSize(1);
    assertThat(next.chunks.get(0).metrics()).isSameAs(metrics);
    assertThat(next.chunks.get(0).counts().logRecords()).isEqualTo(20);
  }
}
