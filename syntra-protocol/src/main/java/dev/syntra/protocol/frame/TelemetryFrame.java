package dev.syntra.protocol.frame;

import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Objects;

/**
 * One telemetry batch as it travels from agent to server in a binary WebSocket frame: an id for
 * deduplication and OTLP traces, logs and metrics (each possibly empty).
 */
public record TelemetryFrame(
    BatchId batchId, TracesData traces, LogsData logs, MetricsData metrics) {
  public TelemetryFrame {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Items per signal; computed on each call. */
  public SignalCounts counts() {
    return SignalCounts.of(traces, logs, metrics);
  }
}
