package dev.syntra.agent.collect;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An intake that keeps every chunk; it refuses everything while {@link #refuse} is set. */
final class RecordingIntake implements TelemetryIntake {
  final List<TelemetryChunk> chunks = new CopyOnWriteArrayList<>();
  volatile boolean refuse;

  @Override
  public IntakeResult accept(TelemetryChunk chunk) {
    if (refuse) {
      return IntakeResult.refused(chunk.counts().total(), "full", Duration.ofSeconds(1));
    }
    chunks.add(chunk);
    return IntakeResult.accepted();
  }

  List<LogRecord> logRecords() {
    List<LogRecord> records = new ArrayList<>();
    for (TelemetryChunk chunk : chunks) {
      chunk
          .logs()
          .getResourceLogsList()
          .forEach(r -> r.getScopeLogsList().forEach(s -> records.addAll(s.getLogRecordsList())));
    }
    return records;
  }

  List<String> bodies() {
    return logRecords().stream().map(r -> r.getBody().getStringValue()).toList();
  }

  List<Metric> metrics() {
    List<Metric> metrics = new ArrayList<>();
    for (TelemetryChunk chunk : chunks) {
      chunk
          .metrics()
          .getResourceMetricsList()
          .forEach(r -> r.getScopeMetricsList().forEach(s -> metrics.addAll(s.getMetricsList())));
    }
    return metrics;
  }

  List<String> metricNames() {
    return metrics().stream().map(Metric::getName).distinct().toList();
  }
}
