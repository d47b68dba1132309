package dev.syntra.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrometheusTextParserTest {
  private final PrometheusTextParser parser = PrometheusTextParser.create();

  @Test
  void rejectsTooLongLinesWithTheLineNumber() {
    PrometheusTextParser small = new PrometheusTextParser(new ParserLimits(20, 10, 2, 10));
    assertThatThrownBy(() -> small.parse("a 1\nmetric_with_a_long_name 1\n"))
        .isInstanceOf(PrometheusParseException.class)
        .hasMessage("text format parsing error in line 2: line longer than 20 bytes");
  }

  @Test
  void boundsSamplesLabelsAndFamilies() {
    PrometheusTextParser small = new PrometheusTextParser(new ParserLimits(1000, 2, 2, 3));
    assertThatThrownBy(() -> small.parse("a 1\nb 2\nc 3\n"))
        .hasMessageContaining("line 3: more than 2 samples");
    assertThatThrownBy(() -> small.parse("a{x=\"1\",y=\"2\",z=\"3\"} 1\n"))
        .hasMessageContaining("more than 2 labels");
    assertThatThrownBy(() -> small.parse("# HELP a x\n# HELP b x\n# HELP c x\n# HELP d x\n"))
        .hasMessageContaining("line 4: more than 3 metric families");
  }

  @Test
  void randomBytesNeverThrowAnythingButParseExceptions() {
    Random random = new Random(11);
    byte[] alphabet =
        "ab_:{}=\",# \t\n\\\"0123456789.eE+-InfNaHELPTYPEsummaryhistogramle".getBytes();
    for (int i = 0; i < 20_000; i++) {
      byte[] input = new byte[random.nextInt(60)];
      for (int j = 0; j < input.length; j++) {
        input[j] =
            random.nextInt(10) == 0
                ? (byte) random.nextInt(256)
                : alphabet[random.nextInt(alphabet.length)];
      }
      try {
        parser.parse(input);
      } catch (PrometheusParseException e) {
        assertThat(e.line()).isPositive();
      }
    }
  }

  @Test
  void histogramBecomesOtlpBucketsFromCumulativeCounts() {
    List<MetricFamily> families =
        parser.parse(
            """
            # HELP rt Request time.
            # TYPE rt histogram
            rt_bucket{path="/",le="0.1"} 3
            rt_bucket{path="/",le="0.5"} 5
            rt_bucket{path="/",le="+Inf"} 9
            rt_sum{path="/"} 4.5
            rt_count{path="/"} 9
            # TYPE req counter
            req{code="200"} 17 1700000000000
            # TYPE q summary
            q{quantile="0.9"} 2
            q{quantile="0.5"} 1
            q_count 4
            q_sum 6
            up 1
            """);
    ScopeMetrics scope = PrometheusToOtlp.convert(families, 2_000, 1_000);
    Metric rt = scope.getMetrics(0);
    assertThat(rt.getName()).isEqualTo("rt");
    assertThat(rt.getDescription()).isEqualTo("Request time.");
    HistogramDataPoint point = rt.getHistogram().getDataPoints(0);
    assertThat(point.getExplicitBoundsList()).containsExactly(0.1, 0.5);
    assertThat(point.getBucketCountsList()).containsExactly(3L, 2L, 4L);
    assertThat(point.getCount()).isEqualTo(9);
    assertThat(point.getSum()).isEqualTo(4.5);
    assertThat(point.getStartTimeUnixNano()).isEqualTo(1_000);
    assertThat(point.getAttributes(0).getKey()).isEqualTo("path");
    Metric req = scope.getMetrics(1);
    assertThat(req.getSum().getIsMonotonic()).isTrue();
    assertThat(req.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(req.getSum().getDataPoints(0).getTimeUnixNano())
        .isEqualTo(1_700_000_000_000L * 1_000_000L);
    Metric q = scope.getMetrics(2);
    assertThat(q.getSummary().getDataPoints(0).getQuantileValuesList())
        .extracting(v -> v.getQuantile())
        .containsExactly(0.5, 0.9);
    assertThat(q.getSummary().getDataPoints(0).getCount()).isEqualTo(4);
    assertThat(scope.getMetrics(3).hasGauge()).isTrue();
  }

  @Test
  void histogramWithoutInfBucketOrCountUsesTheLastBucket() {
    List<MetricFamily> families =
        parser.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 5\n");
    HistogramDataPoint point =
        PrometheusToOtlp.metric(families.get(0), 10, 5).getHistogram().getDataPoints(0);
    assertThat(point.getBucketCountsList()).containsExactly(2L, 3L, 0L);
    assertThat(point.getCount()).isEqualTo(5);
  }
}
