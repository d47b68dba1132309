package dev.syntra.telemetry.sampling;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** OTLP builders, a settable clock and a recording intake for the sampler tests. */
final class SamplingFixtures {
  private SamplingFixtures() {}

  /** A trace id whose randomness (low 56 bits) is {@code randomness}. */
  static ByteString traceId(long high, long randomness) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(high).putLong(randomness).array());
  }

  /** A trace id kept at every ratio > 0 (randomness at its maximum). */
  static ByteString keptTrace(long n) {
    return traceId(n, TraceIdRatio.MAX_THRESHOLD - 1);
  }

  /** A trace id dropped at every ratio < 1 (randomness 0). */
  static ByteString droppedTrace(long n) {
    return traceId(n, 0);
  }

  static Span span(ByteString traceId, String name) {
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) name.hashCode()}))
        .setName(name)
        .build();
  }

  static Span errorSpan(ByteString traceId, String name) {
    return span(traceId, name).toBuilder()
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
        .build();
  }

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static Resource resource(String serviceName) {
    return Resource.newBuilder()
        .addAttributes(attr("service.name", serviceName))
        .addAttributes(attr("host.name", "h1"))
        .build();
  }

  static InstrumentationScope scope(String name) {
    return InstrumentationScope.newBuilder()
        .setName(name)
        .setVersion("1.0")
        .addAttributes(attr("scope.attr", name))
        .build();
  }

  static TelemetryChunk traces(String service, Span... spans) {
    return TelemetryChunk.of(tracesData(service, List.of(spans)), false);
  }

  static TracesData tracesData(String service, List<Span> spans) {
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource(service))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(scope("lib"))
                        .setSchemaUrl("scope-schema")
                        .addAllSpans(spans)))
        .build();
  }

  static LogRecord log(String body, int severity) {
    return LogRecord.newBuilder()
        .setSeverityNumberValue(severity)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .build();
  }

  static TelemetryChunk logs(String service, List<LogRecord> records) {
    return TelemetryChunk.of(
        LogsData.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource(service))
                    .addScopeLogs(
                        ScopeLogs.newBuilder().setScope(scope("log")).addAllLogRecords(records)))
            .build(),
        false);
  }

  static List<LogRecord> infoLogs(int n) {
    List<LogRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(log("line " + i, 9));
    }
    return records;
  }

  static List<String> spanNames(List<TelemetryChunk> chunks, boolean priority) {
    List<String> names = new ArrayList<>();
    for (TelemetryChunk chunk : chunks) {
      if (chunk.priority() == priority) {
        chunk.traces().getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .forEach(s -> names.add(s.getName()));
      }
    }
    return names;
  }

  /** The next stage: records what it gets and answers what the test says. */
  static final class RecordingIntake implements TelemetryIntake {
    final List<TelemetryChunk> chunks = new CopyOnWriteArrayList<>();
    volatile Function<TelemetryChunk, IntakeResult> answer = c -> IntakeResult.accepted();

    @Override
    public IntakeResult accept(TelemetryChunk chunk) {
      IntakeResult result = Objects.requireNonNull(answer.apply(chunk));
      if (!result.isRefused()) {
        chunks.add(chunk);
      }
      return result;
    }

    List<String> priorityNames() {
      return spanNames(chunks, true);
    }

    List<String> normalNames() {
      return spanNames(chunks, false);
    }
  }
}
