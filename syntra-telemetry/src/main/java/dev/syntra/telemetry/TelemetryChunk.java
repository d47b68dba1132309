package dev.syntra.telemetry;

import dev.syntra.protocol.frame.SignalCounts;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Objects;

/**
 * One unit of telemetry moving through the pipeline: what one OTLP request, one scrape or one read
 * of container logs produced, as OTLP data of one or more signals. {@code priority} marks data that
 * is kept over everything else when the buffer overflows: error spans, spans of traces that contain
 * an error, and error logs.
 *
 * <p>Immutable. {@link #sizeBytes()} is the protobuf-serialized size (protobuf memoizes it, so it
 * is cheap after the first call) and is what the buffer's byte bound counts.
 */
public record TelemetryChunk(
    TracesData traces, LogsData logs, MetricsData metrics, boolean priority) {
  public TelemetryChunk {
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(metrics, "metrics");
  }

  public static TelemetryChunk of(TracesData traces, boolean priority) {
    return new TelemetryChunk(
        traces, LogsData.getDefaultInstance(), MetricsData.getDefaultInstance(), priority);
  }

  public static TelemetryChunk of(LogsData logs, boolean priority) {
    return new TelemetryChunk(
        TracesData.getDefaultInstance(), logs, MetricsData.getDefaultInstance(), priority);
  }

  public static TelemetryChunk of(MetricsData metrics, boolean priority) {
    return new TelemetryChunk(
        TracesData.getDefaultInstance(), LogsData.getDefaultInstance(), metrics, priority);
  }

  /** Items per signal; computed on each call. */
  public SignalCounts counts() {
    return SignalCounts.of(traces, logs, metrics);
  }

  /** Serialized protobuf bytes of the three signals together. */
  public long sizeBytes() {
    return (long) traces.getSerializedSize()
        + logs.getSerializedSize()
        + metrics.getSerializedSize();
  }

  public boolean isEmpty() {
    return traces.getResourceSpansCount() == 0
        && logs.getResourceLogsCount() == 0
        && metrics.getResourceMetricsCount() == 0;
  }
}
