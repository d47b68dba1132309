package dev.syntra.agent.otlp;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An intake that keeps every chunk it is given, or refuses everything while {@link #refuse}. */
final class CapturingIntake implements TelemetryIntake {
  final List<TelemetryChunk> chunks = new CopyOnWriteArrayList<>();
  volatile boolean refuse;

  @Override
  public IntakeResult accept(TelemetryChunk chunk) {
    if (refuse) {
      return IntakeResult.refused(chunk.counts().total(), "buffer full", Duration.ofMillis(2500));
    }
    chunks.add(chunk);
    return IntakeResult.accepted();
  }

  List<Span> spans() {
    return chunks.stream()
        .flatMap(c -> c.traces().getResourceSpansList().stream())
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .toList();
  }

  List<LogRecord> logs() {
    return chunks.stream()
        .flatMap(c -> c.logs().getResourceLogsList().stream())
        .flatMap(r -> r.getScopeLogsList().stream())
        .flatMap(s -> s.getLogRecordsList().stream())
        .toList();
  }

  List<Metric> metrics() {
    return chunks.stream()
        .flatMap(c -> c.metrics().getResourceMetricsList().stream())
        .flatMap(r -> r.getScopeMetricsList().stream())
        .flatMap(s -> s.getMetricsList().stream())
        .toList();
  }
}
