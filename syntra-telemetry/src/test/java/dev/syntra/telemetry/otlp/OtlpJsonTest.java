package dev.syntra.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private static TracesData traces(String json) {
    return OtlpJson.decode(json.getBytes(StandardCharsets.UTF_8), TracesData.getDefaultInstance());
  }

  private static String spans(String spans) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
  }

  @Test
  void errorsNameTheJsonPath() {
    String bad = spans("{},{},{},{\"traceId\":\"zz\"}");
    assertThatThrownBy(() -> traces(bad))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessage("resourceSpans[0].scopeSpans[0].spans[3].traceId: must be 32 hex digits");
    assertThatThrownBy(() -> traces(spans("{\"spanId\":\"0102\"}")))
        .hasMessage("resourceSpans[0].scopeSpans[0].spans[0].spanId: must be 16 hex digits");
    assertThatThrownBy(() -> traces(spans("{\"name\":5}")))
        .hasMessage("resourceSpans[0].scopeSpans[0].spans[0].name: must be a string");
    assertThatThrownBy(() -> traces("{\"resourceSpans\":{}}"))
        .hasMessage("resourceSpans: must be an array");
    assertThatThrownBy(() -> traces(spans("{\"startTimeUnixNano\":\"soon\"}")))
        .hasMessageEndingWith("startTimeUnixNano: must be an integer");
  }

  @Test
  void malformedJsonIsOneExceptionWithAPosition() {
    assertThatThrownBy(() -> traces("{\"resourceSpans\":[{\"scopeSpans\":[{]}]}"))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageStartingWith("resourceSpans[0].scopeSpans[0]: malformed JSON at line 1");
    assertThatThrownBy(() -> traces("")).hasMessageContaining("empty body");
    assertThatThrownBy(() -> traces("[]")).hasMessage("$: expected a JSON object");
    assertThatThrownBy(() -> traces("{} {}")).hasMessageContaining("after the JSON object");
  }

  @Test
  void acceptsHexInAnyCaseSnakeCaseKeysEnumNamesAndBothIntegerForms() {
    Span span =
        traces(
                spans(
                    "{\"trace_id\":\"5B8EFFF798038103d269b633813fc60c\",\"spanId\":\"EEE19B7EC3C1B174\","
                        + "\"kind\":\"SPAN_KIND_CLIENT\",\"start_time_unix_nano\":1544712660000000000,"
                        + "\"endTimeUnixNano\":\"18446744073709551615\",\"droppedAttributesCount\":\"7\","
                        + "\"unknown\":{\"deep\":[1,2,{\"x\":null}]},\"status\":null}"))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getTraceId())
        .isEqualTo(
            ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(-1L); // 2^64-1 as protobuf stores uint64
    assertThat(span.getDroppedAttributesCount()).isEqualTo(7);
  }

  @Test
  void rejectsOutOfRangeIntegers() {
    assertThatThrownBy(() -> traces(spans("{\"startTimeUnixNano\":\"18446744073709551616\"}")))
        .hasMessageEndingWith("startTimeUnixNano: integer out of range");
    assertThatThrownBy(() -> traces(spans("{\"droppedAttributesCount\":-1}")))
        .hasMessageEndingWith("droppedAttributesCount: integer out of range");
    assertThatThrownBy(() -> traces(spans("{\"kind\":\"SPAN_KIND_NOPE\"}")))
        .hasMessageEndingWith("kind: unknown SpanKind name");
  }

  @Test
  void otherBytesAreBase64AndRoundTrip() {
    LogsData logs =
        LogsData.newBuilder()
            .addResourceLogs(
                io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                    .addScopeLogs(
                        io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                            .addLogRecords(
                                io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                    .setTraceId(
                                        ByteString.copyFrom(
                                            new byte[] {
                                              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
                                            }))
                                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                                    .setBody(AnyValue.newBuilder().setDoubleValue(Double.NaN))
                                    .addAttributes(
                                        KeyValue.newBuilder()
                                            .setKey("b")
                                            .setValue(
                                                AnyValue.newBuilder()
                                                    .setBytesValue(
                                                        ByteString.copyFromUtf8("foo")))))))
            .build();
    String json = new String(OtlpJson.encode(logs), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"traceId\":\"0102030405060708090a0b0c0d0e0f10\"")
        .contains("\"bytesValue\":\"Zm9v\"")
        .contains("\"severityNumber\":17")
        .contains("\"doubleValue\":\"NaN\"");
    assertThat(
            OtlpJson.decode(json.getBytes(StandardCharsets.UTF_8), LogsData.getDefaultInstance()))
        .isEqualTo(logs);
    assertThatThrownBy(() ->
            OtlpJson.decode(
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"bytesValue\":\"%%\"}}]}]}]}"
                    .getBytes(StandardCharsets.UTF_8),
                LogsData.getDefaultInstance()))
        .hasMessage("resourceLogs[0].scopeLogs[0].logRecords[0].body.bytesValue: must be base64");
  }

  @Test
  void boundsNesting() {
    String deep =
        "{\"x\":".repeat(OtlpJson.MAX_NESTING_DEPTH + 5)
            + "1"
            + "}".repeat(OtlpJson.MAX_NESTING_DEPTH + 5);
    assertThatThrownBy(() -> traces(deep))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void metricsWithUint64NumbersAndDoubles() {
    MetricsData m =
        OtlpJson.decode(
            ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"h\",\"histogram\":"
                    + "{\"aggregationTemporality\":2,\"dataPoints\":[{\"count\":\"3\",\"sum\":1.5,"
                    + "\"bucketCounts\":[\"1\",2],\"explicitBounds\":[1,\"Infinity\"]}]}}]}]}]}")
                .getBytes(StandardCharsets.UTF_8),
            MetricsData.getDefaultInstance());
    var point =
        m.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getHistogram().getDataPoints(0);
    assertThat(point.getCount()).isEqualTo(3);
    assertThat(point.getBucketCountsList()).containsExactly(1L, 2L);
    assertThat(point.getExplicitBoundsList()).containsExactly(1.0, Double.POSITIVE_INFINITY);
  }
}
