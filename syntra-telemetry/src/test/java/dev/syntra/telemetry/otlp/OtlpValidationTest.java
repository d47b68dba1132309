package dev.syntra.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import org.junit.jupiter.api.Test;

class OtlpValidationTest {
  static final ByteString TRACE =
      ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  static final ByteString SPAN = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  static Span.Builder span() {
    return Span.newBuilder()
        .setTraceId(TRACE)
        .setSpanId(SPAN)
        .setStartTimeUnixNano(1)
        .setEndTimeUnixNano(2);
  }

  static TracesData traces(Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  static AnyValue nested(int depth) {
    AnyValue v = AnyValue.newBuilder().setIntValue(1).build();
    for (int i = 1; i < depth; i++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    }
    return v;
  }

  @Test
  void validRequestIsReturnedAsItIs() {
    TracesData data = traces(span(), span().setParentSpanId(SPAN));
    OtlpValidation.Result<TracesData> result = OtlpValidation.traces(data);
    assertThat(result.valid()).isSameAs(data);
    assertThat(result.validItems()).isEqualTo(2);
    assertThat(result.invalidItems()).isZero();
    assertThat(result.message()).isNull();
  }

  @Test
  void invalidSpansAreDroppedAndCountedWithThePathOfTheFirst() {
    TracesData data =
        traces(
            span().setName("ok"),
            span().setTraceId(ByteString.copyFrom(new byte[16])),
            span().setSpanId(ByteString.copyFrom(new byte[3])),
            span().setParentSpanId(ByteString.copyFrom(new byte[4])),
            span().setStartTimeUnixNano(5).setEndTimeUnixNano(4),
            span().addAttributes(KeyValue.newBuilder().setKey("deep").setValue(nested(17))),
            span().addAttributes(KeyValue.newBuilder().setKey("fine").setValue(nested(16))),
            span().addLinks(Span.Link.newBuilder().setTraceId(TRACE)));
    OtlpValidation.Result<TracesData> result = OtlpValidation.traces(data);
    assertThat(result.invalidItems()).isEqualTo(6);
    assertThat(result.validItems()).isEqualTo(2);
    assertThat(result.allInvalid()).isFalse();
    assertThat(result.message())
        .isEqualTo(
            "resourceSpans[0].scopeSpans[0].spans[1].traceId: must be 16 bytes, not all zero"
                + " (6 invalid items in total)");
    assertThat(result.valid().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(s -> s.getAttributesCount() == 0 ? s.getName() : s.getAttributes(0).getKey())
        .containsExactly("ok", "fine");
  }

  @Test
  void wholeRequestInvalid() {
    OtlpValidation.Result<TracesData> result = OtlpValidation.traces(traces(span().clearTraceId()));
    assertThat(result.allInvalid()).isTrue();
    assertThat(result.valid().getResourceSpansCount()).isZero();
    assertThat(OtlpValidation.traces(TracesData.getDefaultInstance()).allInvalid()).isFalse();
  }

  @Test
  void tooDeepResourceAttributesInvalidateEverySpanUnderIt() {
    TracesData data =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(KeyValue.newBuilder().setKey("k").setValue(nested(40))))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span()).addSpans(span())))
            .build();
    OtlpValidation.Result<TracesData> result = OtlpValidation.traces(data);
    assertThat(result.invalidItems()).isEqualTo(2);
    assertThat(result.message())
        .startsWith(
            "resourceSpans[0].resource.attributes[0].value: attribute value nested deeper than 16");
  }

  @Test
  void logRecordsMayHaveNoIdsButNotBadOnes() {
    LogsData data =
        LogsData.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.newBuilder())
                            .addLogRecords(LogRecord.newBuilder().setTraceId(TRACE).setSpanId(SPAN))
                            .addLogRecords(LogRecord.newBuilder().setSpanId(TRACE))
                            .addLogRecords(LogRecord.newBuilder().setBody(nested(20)))))
            .build();
    OtlpValidation.Result<LogsData> result = OtlpValidation.logs(data);
    assertThat(result.invalidItems()).isEqualTo(2);
    assertThat(result.validItems()).isEqualTo(2);
    assertThat(result.message())
        .startsWith("resourceLogs[0].scopeLogs[0].logRecords[2].spanId: must be empty or 8 bytes");
  }

  @Test
  void metricPointsWithBadExemplarsAreDropped() {
    NumberDataPoint good =
        NumberDataPoint.newBuilder()
            .addExemplars(Exemplar.newBuilder().setTraceId(TRACE).setSpanId(SPAN))
            .build();
    NumberDataPoint bad =
        NumberDataPoint.newBuilder().addExemplars(Exemplar.newBuilder().setTraceId(SPAN)).build();
    MetricsData data =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("g")
                                    .setGauge(
                                        Gauge.newBuilder().addDataPoints(good).addDataPoints(bad)))
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("only-bad")
                                    .setGauge(Gauge.newBuilder().addDataPoints(bad)))))
            .build();
    OtlpValidation.Result<MetricsData> result = OtlpValidation.metrics(data);
    assertThat(result.invalidItems()).isEqualTo(2);
    assertThat(result.validItems()).isEqualTo(1);
    assertThat(result.message())
        .startsWith(
            "resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1].exemplars[0].traceId");
    assertThat(result.valid().getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
        .singleElement()
        .satisfies(m -> assertThat(m.getGauge().getDataPointsList()).containsExactly(good));
  }
}
