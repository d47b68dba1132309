package dev.syntra.agent.otlp;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters (HTTP/protobuf with the JDK HttpClient sender,
 * gRPC) as black-box clients: traces, logs and metrics arrive at the intake intact.
 */
class OtlpSdkExportersTest {
  private final CapturingIntake intake = new CapturingIntake();
  private final OtlpCounters counters = new OtlpCounters();
  private OtlpHttpReceiver http;
  private OtlpGrpcReceiver grpc;

  @BeforeAll
  static void preferJdkHttpSender() {
    // Both the JDK and the OkHttp sender are on the test classpath (OkHttp serves gRPC).
    System.setProperty(
        "io.opentelemetry.sdk.common.export.HttpSenderProvider",
        "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
  }

  @BeforeEach
  void start() {
    http =
        OtlpHttpReceiver.start(
            OtlpHttpSettings.defaults().withBind("127.0.0.1", 0), intake, counters);
    grpc =
        OtlpGrpcReceiver.start(
            OtlpGrpcSettings.defaults().withBind("127.0.0.1", 0), intake, counters);
  }

  @AfterEach
  void stop() {
    http.close();
    grpc.close();
  }

  private static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.of(
                      stringKey("service.name"),
                      "checkout",
                      stringKey("deployment.environment"),
                      "test")));

  private static final SpanContext LINKED =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  private SpanExporter spanExporter(Transport t) {
    return t == Transport.HTTP
        ? OtlpHttpSpanExporter.builder()
            .setEndpoint(httpUrl("traces"))
            .setCompression("gzip")
            .build()
        : OtlpGrpcSpanExporter.builder().setEndpoint(grpcUrl()).setCompression("gzip").build();
  }

  private LogRecordExporter logExporter(Transport t) {
    return t == Transport.HTTP
        ? OtlpHttpLogRecordExporter.builder().setEndpoint(httpUrl("logs")).build()
        : OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcUrl()).build();
  }

  private MetricExporter metricExporter(Transport t) {
    return t == Transport.HTTP
        ? OtlpHttpMetricExporter.builder().setEndpoint(httpUrl("metrics")).build()
        : OtlpGrpcMetricExporter.builder().setEndpoint(grpcUrl()).build();
  }

  private String httpUrl(String signal) {
    return "http://127.0.0.1:" + http.port() + "/v1/" + signal;
  }

  private String grpcUrl() {
    return "http://127.0.0.1:" + grpc.port();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void tracesLogsAndMetricsArriveIntact(Transport transport) {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(transport)))
            .build();
    SdkLoggerProvider logging =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(logExporter(transport)))
            .build();
    SdkMeterProvider metering =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(metricExporter(transport))
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    try (tracing;
        logging;
        metering) {
      Tracer tracer = tracing.get("shop");
      DoubleHistogram latency =
          metering.get("shop").histogramBuilder("latency").setUnit("ms").build();
      io.opentelemetry.api.trace.Span parent =
          tracer.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER).startSpan();
      io.opentelemetry.api.trace.Span child;
      try (Scope ignored = parent.makeCurrent()) {
        child =
            tracer
                .spanBuilder("charge")
                .addLink(LINKED, Attributes.of(stringKey("link.kind"), "retry"))
                .setAttribute("http.route", "/pay")
                .setAttribute(longKey("attempt"), 42L)
                .startSpan();
        try (Scope inner = child.makeCurrent()) {
          child.addEvent(
              "exception", Attributes.of(stringKey("exception.type"), "IllegalStateException"));
          child.setStatus(StatusCode.ERROR, "card declined");
          latency.record(12.5, Attributes.of(stringKey("route"), "/pay"));
          logging
              .get("shop")
              .logRecordBuilder()
              .setSeverity(Severity.ERROR)
              .setBody("payment failed")
              .setAttribute(stringKey("order"), "o-1")
              .setContext(Context.current())
              .emit();
        }
        child.end();
      }
      parent.end();
      metering
          .get("shop")
          .counterBuilder("requests")
          .build()
          .add(3, Attributes.of(stringKey("route"), "/pay"));
      assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(metering.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> intake.spans().size() == 2 && !intake.logs().isEmpty());
      checkSpans(parent.getSpanContext(), child.getSpanContext());
      checkLog(child.getSpanContext());
      checkMetrics(child.getSpanContext());
      assertThat(intake.chunks)
          .allSatisfy(c ->
              assertThat(c.traces().getResourceSpansList())
                  .allSatisfy(r ->
                      assertThat(r.getResource().getAttributesList())
                          .contains(attr("service.name", "checkout"))));
      OtlpCounters.Counts traces = counters.snapshot().get(transport, Signal.TRACES);
      assertThat(traces.acceptedItems()).isEqualTo(2);
      assertThat(traces.rejectedItems() + traces.badRequests() + traces.refusedItems()).isZero();
    }
  }

  private void checkSpans(SpanContext parent, SpanContext child) {
    Span received =
        intake.spans().stream().filter(s -> s.getName().equals("charge")).findFirst().orElseThrow();
    assertThat(received.getTraceId()).isEqualTo(hex(child.getTraceId()));
    assertThat(received.getSpanId()).isEqualTo(hex(child.getSpanId()));
    assertThat(received.getParentSpanId()).isEqualTo(hex(parent.getSpanId()));
    assertThat(received.getAttributesList()).contains(attr("http.route", "/pay"));
    assertThat(received.getAttributesList())
        .anySatisfy(kv -> {
          assertThat(kv.getKey()).isEqualTo("attempt");
          assertThat(kv.getValue().getIntValue()).isEqualTo(42);
        });
    assertThat(received.getEvents(0).getName()).isEqualTo("exception");
    assertThat(received.getEvents(0).getAttributesList())
        .contains(attr("exception.type", "IllegalStateException"));
    assertThat(received.getLinks(0).getTraceId()).isEqualTo(hex(LINKED.getTraceId()));
    assertThat(received.getLinks(0).getSpanId()).isEqualTo(hex(LINKED.getSpanId()));
    assertThat(received.getLinks(0).getAttributesList()).contains(attr("link.kind", "retry"));
    assertThat(received.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(received.getStatus().getMessage()).isEqualTo("card declined");
    assertThat(received.getEndTimeUnixNano())
        .isGreaterThanOrEqualTo(received.getStartTimeUnixNano());
  }

  private void checkLog(SpanContext child) {
    LogRecord log = intake.logs().getFirst();
    assertThat(log.getBody().getStringValue()).isEqualTo("payment failed");
    assertThat(log.getSeverityNumberValue()).isEqualTo(Severity.ERROR.getSeverityNumber());
    assertThat(log.getTraceId()).isEqualTo(hex(child.getTraceId()));
    assertThat(log.getSpanId()).isEqualTo(hex(child.getSpanId()));
    assertThat(log.getAttributesList()).contains(attr("order", "o-1"));
  }

  private void checkMetrics(SpanContext child) {
    await().atMost(Duration.ofSeconds(10)).until(() -> intake.metrics().size() >= 2);
    List<Metric> metrics = intake.metrics();
    Metric requests =
        metrics.stream().filter(m -> m.getName().equals("requests")).findFirst().orElseThrow();
    assertThat(requests.getSum().getDataPoints(0).getAsInt()).isEqualTo(3);
    assertThat(requests.getSum().getDataPoints(0).getAttributesList())
        .contains(attr("route", "/pay"));
    Metric latency =
        metrics.stream().filter(m -> m.getName().equals("latency")).findFirst().orElseThrow();
    var point = latency.getHistogram().getDataPoints(0);
    assertThat(point.getCount()).isEqualTo(1);
    assertThat(point.getSum()).isEqualTo(12.5);
    assertThat(point.getExemplarsList())
        .anySatisfy(e -> {
          assertThat(e.getTraceId()).isEqualTo(hex(child.getTraceId()));
          assertThat(e.getSpanId()).isEqualTo(hex(child.getSpanId()));
          assertThat(e.getAsDouble()).isEqualTo(12.5);
        });
  }

  private static KeyValue attr(String key, String value) {
    return OtlpTestData.attribute(key, value);
  }

  private static ByteString hex(String s) {
    return ByteString.copyFrom(HexFormat.of().parseHex(s));
  }
}
