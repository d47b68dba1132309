package dev.syntra.protocol.frame;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Deterministic OTLP batches shaped like what an HTTP service's SDK exports: spans of requests with
 * HTTP and DB attributes, access and error logs, and request counters and latency histograms.
 */
public final class SampleBatches {
  private static final long T0_NANOS = 1_795_000_000_000_000_000L;
  private static final String[] ROUTES = {
    "/api/cart", "/api/orders/{id}", "/api/products", "/healthz"
  };

  private SampleBatches() {}

  /** A batch with {@code spans} spans, {@code logs} log records and a handful of metrics. */
  public static TelemetryFrame realistic(BatchId batchId, int spans, int logs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new TelemetryFrame(batchId, traces(spans, random), logs(logs, random), metrics(random));
  }

  /** The small batch used for the golden frame vector. */
  public static TelemetryFrame small() {
    return realistic(BatchId.parse("0f1e2d3c4b5a69788796a5b4c3d2e1f0"), 3, 2, 7);
  }

  private static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "web"))
        .addAttributes(kv("service.version", "1.4.2"))
        .addAttributes(kv("deployment.environment", "production"))
        .addAttributes(kv("host.name", "vps-fra-1"))
        .addAttributes(kv("syntra.project", "shop"))
        .build();
  }

  private static TracesData traces(int count, SplittableRandom random) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder()
                    .setName("io.opentelemetry.servlet")
                    .setVersion("2.10.0"));
    for (int i = 0; i < count; i++) {
      String route = ROUTES[random.nextInt(ROUTES.length)];
      long start = T0_NANOS + i * 1_000_000L;
      boolean error = random.nextInt(20) == 0;
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(randomBytes(random, 16))
              .setSpanId(randomBytes(random, 8))
              .setName("GET " + route)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + 1_000_000L + random.nextInt(50_000_000))
              .addAttributes(kv("http.request.method", "GET"))
              .addAttributes(kv("http.route", route))
              .addAttributes(
                  kv("url.path", route.replace("{id}", Integer.toString(random.nextInt(10_000)))))
              .addAttributes(intKv("http.response.status_code", error ? 500 : 200))
              .addAttributes(kv("db.system", "postgresql"))
              .addAttributes(
                  kv("db.query.text", "SELECT id, name, price FROM products WHERE id = $1"))
              .setStatus(
                  Status.newBuilder()
                      .setCode(
                          error
                              ? Status.StatusCode.STATUS_CODE_ERROR
                              : Status.StatusCode.STATUS_CODE_UNSET)));
    }
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope))
        .build();
  }

  private static LogsData logs(int count, SplittableRandom random) {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("app"));
    for (int i = 0; i < count; i++) {
      boolean error = random.nextInt(10) == 0;
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(T0_NANOS + i * 500_000L)
              .setSeverityNumber(
                  error
                      ? SeverityNumber.SEVERITY_NUMBER_ERROR
                      : SeverityNumber.SEVERITY_NUMBER_INFO)
              .setSeverityText(error ? "ERROR" : "INFO")
              .setBody(
                  AnyValue.newBuilder()
                      .setStringValue(
                          error
                              ? "java.lang.IllegalStateException: cart "
                                  + random.nextInt(100_000)
                                  + " is locked\n\tat shop.CartService.add(CartService.java:88)"
                              : "GET "
                                  + ROUTES[random.nextInt(ROUTES.length)]
                                  + " 200 "
                                  + random.nextInt(300)
                                  + "ms"))
              .addAttributes(kv("logger.name", "shop.http.AccessLog"))
              .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(16))));
    }
    return LogsData.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope))
        .build();
  }

  private static MetricsData metrics(SplittableRandom random) {
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("app"));
    for (String route : ROUTES) {
      scope.addMetrics(
          Metric.newBuilder()
              .setName("http.server.request.duration")
              .setUnit("s")
              .setHistogram(
                  Histogram.newBuilder()
                      .setAggregationTemporality(
                          AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                      .addDataPoints(
                          HistogramDataPoint.newBuilder()
                              .setStartTimeUnixNano(T0_NANOS - 60_000_000_000L)
                              .setTimeUnixNano(T0_NANOS)
                              .setCount(1000 + random.nextInt(1000))
                              .setSum(random.nextDouble() * 100)
                              .addExplicitBounds(0.005)
                              .addExplicitBounds(0.05)
                              .addExplicitBounds(0.5)
                              .addBucketCounts(400)
                              .addBucketCounts(500)
                              .addBucketCounts(90)
                              .addBucketCounts(10)
                              .addAttributes(kv("http.route", route)))));
    }
    scope.addMetrics(
        Metric.newBuilder()
            .setName("process.runtime.jvm.memory.used")
            .setUnit("By")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setTimeUnixNano(T0_NANOS)
                            .setAsInt(180_000_000L + random.nextInt(1000)))));
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource()).addScopeMetrics(scope))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue intKv(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static ByteString randomBytes(SplittableRandom random, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      buffer.put((byte) random.nextInt(256));
    }
    return ByteString.copyFrom(buffer.array());
  }
}
