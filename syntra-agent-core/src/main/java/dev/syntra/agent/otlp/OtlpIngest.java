package dev.syntra.agent.otlp;

import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.otlp.OtlpValidation;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part both receivers share: validate a decoded request, hand its valid items to the intake,
 * count, and say what to answer. Thread-safe.
 */
final class OtlpIngest {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpIngest.class);
  private static final Duration INTAKE_FAILURE_RETRY = Duration.ofSeconds(5);

  private final TelemetryIntake intake;
  private final OtlpCounters counters;

  OtlpIngest(TelemetryIntake intake, OtlpCounters counters) {
    this.intake = intake;
    this.counters = counters;
  }

  OtlpCounters counters() {
    return counters;
  }

  IngestOutcome traces(Transport t, TracesData data) {
    OtlpValidation.Result<TracesData> v = OtlpValidation.traces(data);
    return hand(t, Signal.TRACES, v, () -> TelemetryChunk.of(v.valid(), false));
  }

  IngestOutcome logs(Transport t, LogsData data) {
    OtlpValidation.Result<LogsData> v = OtlpValidation.logs(data);
    return hand(t, Signal.LOGS, v, () -> TelemetryChunk.of(v.valid(), false));
  }

  IngestOutcome metrics(Transport t, MetricsData data) {
    OtlpValidation.Result<MetricsData> v = OtlpValidation.metrics(data);
    return hand(t, Signal.METRICS, v, () -> TelemetryChunk.of(v.valid(), false));
  }

  /** A request that could not be decoded or was refused before decoding (4xx). */
  void bad(Transport t, Signal s) {
    counters.request(t, s);
    counters.badRequest(t, s);
  }

  private interface ChunkFactory {
    TelemetryChunk chunk();
  }

  private IngestOutcome hand(
      Transport t, Signal s, OtlpValidation.Result<?> v, ChunkFactory chunk) {
    counters.request(t, s);
    counters.rejected(t, s, v.invalidItems());
    if (v.allInvalid()) {
      counters.badRequest(t, s);
      return IngestOutcome.invalid(String.valueOf(v.message()));
    }
    if (v.validItems() == 0) {
      return IngestOutcome.ok(0, null);
    }
    IntakeResult result;
    try {
      result = intake.accept(chunk.chunk());
    } catch (RuntimeException e) {
      // The intake contract says it never throws; if it does, the client retries later.
      LOG.warn("telemetry intake failed on {} {}", t, s.wireName(), e);
      counters.refused(t, s, v.validItems());
      return IngestOutcome.refused("the agent could not take the data", INTAKE_FAILURE_RETRY);
    }
    return switch (result.status()) {
      case ACCEPTED -> {
        counters.accepted(t, s, v.validItems());
        yield IngestOutcome.ok(v.invalidItems(), v.message());
      }
      case PARTIAL -> {
        long rejected = Math.min(result.rejectedItems(), v.validItems());
        counters.accepted(t, s, v.validItems() - rejected);
        counters.rejected(t, s, rejected);
        yield IngestOutcome.ok(v.invalidItems() + rejected, join(v.message(), result.message()));
      }
      case REFUSED -> {
        counters.refused(t, s, v.validItems());
        yield IngestOutcome.refused(result.message(), result.retryAfter());
      }
    };
  }

  private static @Nullable String join(@Nullable String a, @Nullable String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "; " + b;
  }
}
