package dev.syntra.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upstream expfmt text-parser cases: every success case yields the expected families, every
 * error case fails (under the UTF-8 name scheme; the two cases upstream accepts only under it are
 * accepted), and no fuzz seed throws anything but {@link PrometheusParseException}.
 */
class PrometheusConformanceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final PrometheusTextParser parser = PrometheusTextParser.create();

  @TestFactory
  Stream<DynamicTest> successCasesProduceTheExpectedFamilies() throws IOException {
    JsonNode cases = JSON.readTree(ExpfmtCorpus.require().resolve("text_parse_success_cases.json"));
    assertThat(cases.size()).isEqualTo(18);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      tests.add(
          DynamicTest.dynamicTest(
              "success case " + i,
              () -> {
                List<MetricFamily> families =
                    parser.parse(ExpfmtCorpus.bytes(c.get("input").stringValue()));
                assertFamilies(families, c.get("expected_metric_families"));
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> errorCasesFail() throws IOException {
    JsonNode cases = JSON.readTree(ExpfmtCorpus.require().resolve("text_parse_error_cases.json"));
    assertThat(cases.size()).isEqualTo(48);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      byte[] input = ExpfmtCorpus.bytes(c.get("input").stringValue());
      String expected = c.get("expected_error_utf8_scheme").stringValue();
      tests.add(
          DynamicTest.dynamicTest(
              "error case " + i + ": " + expected,
              () -> {
                if (expected.isEmpty()) {
                  assertThat(parser.parse(input)).isNotEmpty();
                  return;
                }
                int line = Integer.parseInt(expected.replaceAll("^.*in line (\\d+):.*$", "$1"));
                assertThatThrownBy(() -> parser.parse(input))
                    .isInstanceOf(PrometheusParseException.class)
                    .satisfies(
                        e -> assertThat(((PrometheusParseException) e).line()).isEqualTo(line))
                    .hasMessageStartingWith("text format parsing error in line " + line + ": ");
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> fuzzSeedsThrowOnlyParseExceptions() throws IOException {
    Path dir = ExpfmtCorpus.require().resolve("expfmt/fuzz/corpus");
    List<Path> seeds;
    try (Stream<Path> files = Files.list(dir)) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).isNotEmpty();
    return seeds.stream()
        .map(seed ->
            DynamicTest.dynamicTest(
                seed.getFileName().toString(),
                () -> {
                  byte[] bytes = Files.readAllBytes(seed);
                  try {
                    parser.parse(bytes);
                  } catch (PrometheusParseException e) {
                    assertThat(e.line()).isPositive();
                  }
                }));
  }

  @TestFactory
  Stream<DynamicTest> realisticExpositionParses() throws IOException {
    Path file = ExpfmtCorpus.require().resolve("expfmt/testdata/text");
    byte[] bytes = Files.readAllBytes(file);
    return Stream.of(
        DynamicTest.dynamicTest(
            "testdata/text",
            () -> {
              List<MetricFamily> families = parser.parse(bytes);
              assertThat(families).isNotEmpty();
              assertThat(PrometheusToOtlp.convert(families, 1, 1).getMetricsCount())
                  .isEqualTo(families.size());
            }));
  }

  private static void assertFamilies(List<MetricFamily> actual, JsonNode expected) {
    Map<String, MetricFamily> byName = new HashMap<>();
    actual.forEach(f -> byName.put(f.name(), f));
    assertThat(byName).hasSize(expected.size());
    for (JsonNode family : expected) {
      String name = family.get("Name").stringValue();
      MetricFamily got = byName.get(name);
      assertThat(got).as("family %s", name).isNotNull();
      assertThat(got.type().name())
          .as("type of %s", name)
          .isEqualTo(family.get("Type").stringValue());
      assertThat(got.help()).as("help of %s", name).isEqualTo(text(family, "Help"));
      JsonNode metrics = family.get("Metric");
      assertThat(got.points()).as("points of %s", name).hasSize(metrics.size());
      for (int i = 0; i < metrics.size(); i++) {
        assertPoint(got.points().get(i), metrics.get(i), name + "[" + i + "]");
      }
    }
  }

  private static void assertPoint(MetricPoint point, JsonNode expected, String where) {
    List<Label> labels = new ArrayList<>();
    for (JsonNode label : expected.path("Label")) {
      labels.add(new Label(label.get("Name").stringValue(), label.get("Value").stringValue()));
    }
    assertThat(point.labels()).as("labels of %s", where).isEqualTo(labels);
    JsonNode ts = expected.get("TimestampMs");
    assertThat(point.timestampMs())
        .as("timestamp of %s", where)
        .isEqualTo(ts == null ? null : ts.asLong());
    for (String kind : List.of("Counter", "Gauge", "Untyped")) {
      if (expected.has(kind)) {
        assertNumber(point.value(), expected.get(kind).get("Value"), "value of " + where);
      }
    }
    if (expected.has("Summary")) {
      JsonNode s = expected.get("Summary");
      SummaryValue summary = point.summary();
      assertThat(summary).as("summary of %s", where).isNotNull();
      assertNumber(summary.count(), s.get("SampleCount"), "count of " + where);
      assertNumber(summary.sum(), s.get("SampleSum"), "sum of " + where);
      JsonNode quantiles = s.path("Quantile");
      assertThat(summary.quantiles()).hasSize(quantiles.size());
      for (int i = 0; i < quantiles.size(); i++) {
        assertNumber(
            summary.quantiles().get(i).quantile(), quantiles.get(i).get("Quantile"), where);
        assertNumber(summary.quantiles().get(i).value(), quantiles.get(i).get("Value"), where);
      }
    }
    if (expected.has("Histogram")) {
      JsonNode h = expected.get("Histogram");
      HistogramValue histogram = point.histogram();
      assertThat(histogram).as("histogram of %s", where).isNotNull();
      JsonNode count = h.has("SampleCountFloat") ? h.get("SampleCountFloat") : h.get("SampleCount");
      assertNumber(histogram.count(), count, "count of " + where);
      assertNumber(histogram.sum(), h.get("SampleSum"), "sum of " + where);
      JsonNode buckets = h.path("Bucket");
      assertThat(histogram.buckets()).hasSize(buckets.size());
      for (int i = 0; i < buckets.size(); i++) {
        JsonNode b = buckets.get(i);
        JsonNode cumulative =
            b.has("CumulativeCountFloat")
                ? b.get("CumulativeCountFloat")
                : b.get("CumulativeCount");
        assertNumber(histogram.buckets().get(i).upperBound(), b.get("UpperBound"), where);
        assertNumber(histogram.buckets().get(i).cumulativeCount(), cumulative, where);
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null ? "" : value.stringValue();
  }

  /** Absent numbers are 0, as protobuf getters answer; special floats are strings. */
  private static void assertNumber(double actual, JsonNode expected, String what) {
    double want;
    if (expected == null) {
      want = 0;
    } else if (expected.isString()) {
      want =
          switch (expected.stringValue()) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new AssertionError("unexpected number " + expected);
          };
    } else {
      want = expected.asDouble();
    }
    assertThat(Double.valueOf(actual)).as(what).isEqualTo(Double.valueOf(want));
  }
}
