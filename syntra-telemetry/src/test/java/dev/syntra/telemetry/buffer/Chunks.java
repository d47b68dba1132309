package dev.syntra.telemetry.buffer;

import com.google.protobuf.ByteString;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.telemetry.TelemetryChunk;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test chunks whose items carry a sequence number (span id, log body, point value), so a test can
 * tell exactly which items arrived.
 */
final class Chunks {
  private static final Resource RESOURCE =
      Resource.newBuilder()
          .addAttributes(
              KeyValue.newBuilder()
                  .setKey("service.name")
                  .setValue(AnyValue.newBuilder().setStringValue("web")))
          .build();

  private Chunks() {}

  /** {@code count} spans numbered {@code first}, {@code first + 1}, ... */
  static TelemetryChunk spans(long first, int count, boolean priority) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < count; i++) {
      long n = first + i;
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, n + 1).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array()))
              .setName("GET /api/orders/" + n)
              .setStartTimeUnixNano(1_000_000L * n)
              .setEndTimeUnixNano(1_000_000L * n + 5000));
    }
    return TelemetryChunk.of(
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(RESOURCE).addScopeSpans(scope))
            .build(),
        priority);
  }

  static TelemetryChunk logs(long first, int count, boolean priority) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < count; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(first + i)
              .setBody(AnyValue.newBuilder().setStringValue("log line " + (first + i))));
    }
    return TelemetryChunk.of(
        LogsData.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().setResource(RESOURCE).addScopeLogs(scope))
            .build(),
        priority);
  }

  static TelemetryChunk points(long first, int count) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < count; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setAsInt(first + i).setTimeUnixNano(1));
    }
    return TelemetryChunk.of(
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(RESOURCE)
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder().setName("queue.depth").setGauge(gauge))))
            .build(),
        false);
  }

  /** The sequence numbers of the spans in a decoded frame, in order. */
  static List<Long> spanNumbers(TelemetryFrame frame) {
    List<Long> out = new ArrayList<>();
    frame.traces().getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .forEach(span -> out.add(span.getSpanId().asReadOnlyByteBuffer().getLong()));
    return out;
  }
}
