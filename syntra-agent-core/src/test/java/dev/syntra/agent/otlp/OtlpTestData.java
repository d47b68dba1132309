package dev.syntra.agent.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
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
import java.util.Random;

/** Valid (and deliberately invalid) OTLP requests for receiver tests. */
final class OtlpTestData {
  private OtlpTestData() {}

  static ByteString bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero
    return ByteString.copyFrom(b);
  }

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attribute("service.name", service)).build();
  }

  static Span.Builder span(Random random, String name) {
    return Span.newBuilder()
        .setTraceId(bytes(random, 16))
        .setSpanId(bytes(random, 8))
        .setName(name)
        .setStartTimeUnixNano(1_000)
        .setEndTimeUnixNano(2_000)
        .addAttributes(attribute("k", name));
  }

  static TracesData traces(Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource("svc")).addScopeSpans(scope))
        .build();
  }

  static TracesData traces(Random random, int n) {
    Span.Builder[] spans = new Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = span(random, "span-" + i);
    }
    return traces(spans);
  }

  static LogsData logs(Random random, int n) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_000 + i)
              .setBody(AnyValue.newBuilder().setStringValue("line " + i))
              .setTraceId(bytes(random, 16))
              .setSpanId(bytes(random, 8)));
    }
    return LogsData.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource("svc")).addScopeLogs(scope))
        .build();
  }

  static MetricsData metrics(int n) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < n; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_000 + i).setAsDouble(i));
    }
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource("svc"))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("g").setGauge(gauge))))
        .build();
  }

  /** An AnyValue nested {@code depth} levels (arrays of arrays of one int). */
  static AnyValue nested(int depth) {
    AnyValue v = AnyValue.newBuilder().setIntValue(1).build();
    for (int i = 1; i < depth; i++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    }
    return v;
  }
}
