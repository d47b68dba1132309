package dev.syntra.telemetry.prometheus;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Converts parsed families to OTLP metrics, as one {@link ScopeMetrics} (scope {@code
 * dev.syntra.prometheus}) the caller puts under its resource.
 *
 * <ul>
 *   <li>counter: monotonic cumulative {@link Sum}; gauge and untyped: {@link Gauge};
 *   <li>histogram and gauge histogram: cumulative {@link Histogram}; the finite {@code le} bounds
 *       become {@code explicit_bounds} (sorted) and each bucket count is the difference of two
 *       cumulative {@code _bucket} samples (clamped at 0 when the input is not monotonic); the
 *       overflow bucket is {@code _count} minus the last finite cumulative count; fractional counts
 *       are rounded. OTLP has no gauge histogram, so those become cumulative histograms.
 *   <li>summary: {@link Summary} with its quantiles (ascending).
 * </ul>
 *
 * <p>Names and HELP texts are kept as written (no {@code _total} trimming, no unit); labels become
 * string attributes. Time: a sample's own timestamp when it has one, else {@code timeUnixNano} (the
 * scrape time). Start time: the text format has none, so cumulative points get {@code
 * startTimeUnixNano}, which the scraper sets to when it first reached the target (and again after
 * the target was down), the convention of the OpenTelemetry Collector's Prometheus receiver.
 * Stateless and thread-safe.
 */
public final class PrometheusToOtlp {
  /** Instrumentation scope name of converted metrics. */
  public static final String SCOPE_NAME = "dev.syntra.prometheus";

  private PrometheusToOtlp() {}

  /** The families as OTLP metrics, one {@link Metric} per family. */
  public static ScopeMetrics convert(
      List<MetricFamily> families, long timeUnixNano, long startTimeUnixNano) {
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME).build());
    for (MetricFamily family : families) {
      scope.addMetrics(metric(family, timeUnixNano, startTimeUnixNano));
    }
    return scope.build();
  }

  /** One family as an OTLP metric. */
  public static Metric metric(MetricFamily family, long timeUnixNano, long startTimeUnixNano) {
    Metric.Builder metric =
        Metric.newBuilder().setName(family.name()).setDescription(family.help());
    switch (family.type()) {
      case COUNTER -> {
        Sum.Builder sum =
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (MetricPoint point : family.points()) {
          sum.addDataPoints(number(point, timeUnixNano, startTimeUnixNano));
        }
        metric.setSum(sum);
      }
      case GAUGE, UNTYPED -> {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (MetricPoint point : family.points()) {
          gauge.addDataPoints(number(point, timeUnixNano, 0));
        }
        metric.setGauge(gauge);
      }
      case HISTOGRAM, GAUGE_HISTOGRAM -> {
        Histogram.Builder histogram =
            Histogram.newBuilder()
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (MetricPoint point : family.points()) {
          histogram.addDataPoints(histogram(point, timeUnixNano, startTimeUnixNano));
        }
        metric.setHistogram(histogram);
      }
      case SUMMARY -> {
        Summary.Builder summary = Summary.newBuilder();
        for (MetricPoint point : family.points()) {
          summary.addDataPoints(summary(point, timeUnixNano, startTimeUnixNano));
        }
        metric.setSummary(summary);
      }
    }
    return metric.build();
  }

  private static NumberDataPoint number(MetricPoint point, long time, long start) {
    NumberDataPoint.Builder data =
        NumberDataPoint.newBuilder()
            .addAllAttributes(attributes(point.labels()))
            .setTimeUnixNano(time(point, time))
            .setAsDouble(point.value());
    if (start > 0) {
      data.setStartTimeUnixNano(Math.min(start, time(point, time)));
    }
    return data.build();
  }

  private static HistogramDataPoint histogram(MetricPoint point, long time, long start) {
    HistogramValue value = java.util.Objects.requireNonNull(point.histogram());
    long at = time(point, time);
    HistogramDataPoint.Builder data =
        HistogramDataPoint.newBuilder()
            .addAllAttributes(attributes(point.labels()))
            .setTimeUnixNano(at)
            .setStartTimeUnixNano(Math.min(start, at))
            .setCount(count(value.count()))
            .setSum(value.sum());
    List<Bucket> buckets = new ArrayList<>(value.buckets());
    buckets.sort(Comparator.comparingDouble(Bucket::upperBound));
    long previous = 0;
    for (Bucket bucket : buckets) {
      if (bucket.upperBound() == Double.POSITIVE_INFINITY) {
        break;
      }
      long cumulative = count(bucket.cumulativeCount());
      data.addExplicitBounds(bucket.upperBound());
      data.addBucketCounts(Math.max(0, cumulative - previous));
      previous = Math.max(previous, cumulative);
    }
    long total = count(value.count());
    if (total == 0 && !buckets.isEmpty()) {
      // No _count sample: the +Inf bucket (or the largest finite one) is the total.
      total = count(buckets.get(buckets.size() - 1).cumulativeCount());
      data.setCount(total);
    }
    data.addBucketCounts(Math.max(0, total - previous));
    return data.build();
  }

  private static SummaryDataPoint summary(MetricPoint point, long time, long start) {
    SummaryValue value = java.util.Objects.requireNonNull(point.summary());
    long at = time(point, time);
    SummaryDataPoint.Builder data =
        SummaryDataPoint.newBuilder()
            .addAllAttributes(attributes(point.labels()))
            .setTimeUnixNano(at)
            .setStartTimeUnixNano(Math.min(start, at))
            .setCount(count(value.count()))
            .setSum(value.sum());
    List<Quantile> quantiles = new ArrayList<>(value.quantiles());
    quantiles.sort(Comparator.comparingDouble(Quantile::quantile));
    for (Quantile quantile : quantiles) {
      data.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder()
              .setQuantile(quantile.quantile())
              .setValue(quantile.value()));
    }
    return data.build();
  }

  private static long time(MetricPoint point, long scrapeTime) {
    Long ms = point.timestampMs();
    return ms == null ? scrapeTime : Math.clamp(ms, 0, Long.MAX_VALUE / 1_000_000L) * 1_000_000L;
  }

  private static long count(double value) {
    return Double.isNaN(value) || value <= 0 ? 0 : Math.round(Math.min(value, 9.0e18));
  }

  static List<KeyValue> attributes(List<Label> labels) {
    List<KeyValue> attributes = new ArrayList<>(labels.size());
    for (Label label : labels) {
      attributes.add(
          KeyValue.newBuilder()
              .setKey(label.name())
              .setValue(AnyValue.newBuilder().setStringValue(label.value()))
              .build());
    }
    return attributes;
  }
}
