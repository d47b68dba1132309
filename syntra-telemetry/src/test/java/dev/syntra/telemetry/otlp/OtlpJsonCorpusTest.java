package dev.syntra.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance of {@link OtlpJson} against opentelemetry-proto's example requests and the
 * OpenTelemetry Collector's pdata JSON fixtures (read from the corpus, never copied here).
 */
class OtlpJsonCorpusTest {
  /** What each collector test function unmarshals, by "file|function". */
  private static final Map<String, Message> TARGETS =
      Map.ofEntries(
          Map.entry("ptrace|TestJSONUnmarshalInvalid", TracesData.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterTraceData", TracesData.getDefaultInstance()),
          Map.entry(
              "ptrace|TestUnmarshalJsoniterResourceSpans", ResourceSpans.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterScopeSpans", ScopeSpans.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterSpan", Span.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterSpanStatus", Span.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterSpanLink", Span.Link.getDefaultInstance()),
          Map.entry("ptrace|TestUnmarshalJsoniterSpanEvent", Span.Event.getDefaultInstance()),
          Map.entry("plog|TestJSONUnmarshalInvalid", LogsData.getDefaultInstance()),
          Map.entry("plog|TestUnmarshalJsoniterLogsData", LogsData.getDefaultInstance()),
          Map.entry("plog|TestUnmarshalJsoniterResourceLogs", ResourceLogs.getDefaultInstance()),
          Map.entry("plog|TestUnmarshalJsoniterScopeLogs", ScopeLogs.getDefaultInstance()),
          Map.entry("plog|TestUnmarshalJsoniterLogRecord", LogRecord.getDefaultInstance()),
          Map.entry("plog|TestUnmarshalJsoniterLogWrong", LogRecord.getDefaultInstance()),
          Map.entry("pmetric|TestUnmarshalJsoniterMetricsData", MetricsData.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterResourceMetrics", ResourceMetrics.getDefaultInstance()),
          Map.entry("pmetric|TestUnmarshalJsoniterScopeMetrics", ScopeMetrics.getDefaultInstance()),
          Map.entry("pmetric|TestUnmarshalJsoniterMetric", Metric.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterNumberDataPoint", NumberDataPoint.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterHistogramDataPoint",
              HistogramDataPoint.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterExponentialHistogramDataPoint",
              ExponentialHistogramDataPoint.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterExponentialHistogramDataPointBuckets",
              ExponentialHistogramDataPoint.Buckets.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterSummaryDataPoint",
              SummaryDataPoint.getDefaultInstance()),
          Map.entry(
              "pmetric|TestUnmarshalJsoniterQuantileValue",
              SummaryDataPoint.ValueAtQuantile.getDefaultInstance()),
          Map.entry("pmetric|TestExemplar", Exemplar.getDefaultInstance()));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "proto-examples/trace.json",
        "proto-examples/logs.json",
        "proto-examples/events.json",
        "proto-examples/metrics.json",
        "collector-pdata-json/ptrace-tracesJSON.json",
        "collector-pdata-json/plog-logsJSON.json",
        "collector-pdata-json/pmetric-metricsJSON.json"
      })
  void decodesAndReEncodesEveryFieldOfTheFixture(String name) throws IOException {
    byte[] json = Files.readAllBytes(OtlpCorpus.require().resolve(name));
    Message decoded = decode(json, name);
    assertThat(decoded.getSerializedSize()).isPositive();
    // Every field of the fixture survives decode + encode (modulo defaults, number form, hex case).
    assertThat(JsonTrees.normalised(OtlpJson.encode(decoded)))
        .isEqualTo(JsonTrees.normalised(json));
  }

  private static Message decode(byte[] json, String name) {
    if (name.contains("trace")) {
      return OtlpJson.decode(json, TracesData.getDefaultInstance());
    }
    if (name.contains("metric")) {
      return OtlpJson.decode(json, MetricsData.getDefaultInstance());
    }
    return OtlpJson.decode(json, LogsData.getDefaultInstance());
  }

  @Test
  void traceExampleHasItsHexIdsAndValues() throws IOException {
    byte[] json = Files.readAllBytes(OtlpCorpus.require().resolve("proto-examples/trace.json"));
    Span span =
        OtlpJson.decode(json, TracesData.getDefaultInstance())
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getTraceId()).isEqualTo(hex("5b8efff798038103d269b633813fc60c"));
    assertThat(span.getSpanId()).isEqualTo(hex("eee19b7ec3c1b174"));
    assertThat(span.getParentSpanId()).isEqualTo(hex("eee19b7ec3c1b173"));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo("some value");
    assertThat(
            OtlpValidation.traces(OtlpJson.decode(json, TracesData.getDefaultInstance()))
                .invalidItems())
        .isZero();
  }

  @Test
  void collectorTraceFixtureKeepsBytesArraysAndKvlists() throws IOException {
    byte[] json =
        Files.readAllBytes(
            OtlpCorpus.require().resolve("collector-pdata-json/ptrace-tracesJSON.json"));
    Span span =
        OtlpJson.decode(json, TracesData.getDefaultInstance())
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getTraceId()).isEqualTo(hex("0102030405060708090a0b0c0d0e0f10"));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getAttributesList())
        .anySatisfy(kv ->
            assertThat(kv.getValue().getBytesValue()).isEqualTo(ByteString.copyFromUtf8("foo")));
    assertThat(span.getAttributesList())
        .anySatisfy(kv -> assertThat(kv.getValue().hasArrayValue()).isTrue());
  }

  static Stream<Arguments> smallCases() throws IOException {
    Path tsv = OtlpCorpus.require().resolve("collector-pdata-json/small_unmarshal_cases.tsv");
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    return lines.stream()
        .skip(1)
        .filter(l -> !l.isBlank())
        .map(l -> l.split("\t", -1))
        .map(f -> Arguments.of(f[0], f[1], f[2], f[3]));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("smallCases")
  void collectorUnmarshalExpectationHolds(
      String file, String function, String json, String assertions) {
    String pkg = file.split("/")[1];
    Message target =
        TARGETS.entrySet().stream()
            .filter(e -> (pkg + "|" + function).startsWith(e.getKey()))
            .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
            .map(Map.Entry::getValue)
            .orElseThrow(() -> new AssertionError("no target type for " + function));
    if (function.contains("SpanStatus")) {
      // The collector's case unmarshals the Status of a span.
      target = Status.getDefaultInstance();
      json = json.substring(json.indexOf(':') + 1, json.length() - 1);
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Message decodeTarget = target;
    boolean expectsError = assertions.matches("^(assert|require)\\.Error.*");
    if (expectsError) {
      assertThatThrownBy(() -> OtlpJson.decode(bytes, decodeTarget))
          .isInstanceOf(OtlpJsonException.class)
          .hasMessageFindingMatch(
              "trace_id|span_id|parent_span_id|traceId|spanId|resourceSpans|resourceLogs");
    } else {
      Message decoded = OtlpJson.decode(bytes, decodeTarget);
      checkValues(function, json, decoded);
    }
  }

  private static void checkValues(String function, String json, Message decoded) {
    switch (decoded) {
      case TracesData t -> assertThat(t.getResourceSpansCount()).isEqualTo(1);
      case HistogramDataPoint p -> assertThat(p.getCount()).isEqualTo(3);
      case ExponentialHistogramDataPoint p -> assertThat(p.getCount()).isEqualTo(3);
      case ExponentialHistogramDataPoint.Buckets b -> {
        assertThat(b.getOffset()).isEqualTo(3);
        assertThat(b.getBucketCountsList()).containsExactly(1L, 2L);
      }
      case SummaryDataPoint p -> {
        assertThat(p.getCount()).isEqualTo(3);
        assertThat(p.getSum()).isEqualTo(3.14);
      }
      case SummaryDataPoint.ValueAtQuantile q -> {
        assertThat(q.getQuantile()).isEqualTo(0.314);
        assertThat(q.getValue()).isEqualTo(3.0);
      }
      case ResourceMetrics r -> assertThat(r.getSchemaUrl()).isEqualTo("schema");
      case ScopeMetrics s -> assertThat(s.getSchemaUrl()).isEqualTo("schema");
      case Exemplar e when json.contains("asInt") -> assertThat(e.getAsInt()).isEqualTo(1);
      case Exemplar e when json.contains("asDouble") -> assertThat(e.getAsDouble()).isEqualTo(3.14);
      case Metric m ->
          assertThat(m.getDataCase().name().replace("_", "").toLowerCase())
              .isEqualTo(
                  json.contains("\"sum\"")
                      ? "sum"
                      : json.contains("\"gauge\"")
                          ? "gauge"
                          : json.contains("\"histogram\"")
                              ? "histogram"
                              : json.contains("exponential_histogram")
                                  ? "exponentialhistogram"
                                  : json.contains("summary") ? "summary" : "datanotset");
      default ->
          // Only unknown keys: the result is the empty message.
          assertThat(JsonTrees.normalised(OtlpJson.encode(decoded)).isEmpty())
              .as(function)
              .isTrue();
    }
  }

  private static ByteString hex(String s) {
    return ByteString.copyFrom(HexFormat.of().parseHex(s));
  }
}
