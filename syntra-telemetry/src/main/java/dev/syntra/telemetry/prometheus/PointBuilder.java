package dev.syntra.telemetry.prometheus;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One series being assembled from its samples. Not thread-safe. */
final class PointBuilder {
  private final List<Label> labels;
  double value;
  private double count;
  private double sum;
  private final List<Quantile> quantiles = new ArrayList<>();
  private final List<Bucket> buckets = new ArrayList<>();
  private @Nullable Long timestampMs;

  PointBuilder(List<Label> labels) {
    this.labels = List.copyOf(labels);
  }

  /** The last timestamp given by any sample of the series wins. */
  void timestamp(@Nullable Long timestamp) {
    if (timestamp != null) {
      timestampMs = timestamp;
    }
  }

  void summarySample(
      FamilyAssembler.Role role,
      @Nullable Double quantile,
      double sample,
      String family,
      LineCursor line) {
    switch (role) {
      case COUNT -> count = nonNegative(sample, "negative count for summary", family, line);
      case SUM -> sum = sample;
      default -> {
        // A sample of the base name without a quantile label carries nothing (as upstream).
        if (quantile != null && !quantile.isNaN()) {
          quantiles.add(new Quantile(quantile, sample));
        }
      }
    }
  }

  void histogramSample(
      FamilyAssembler.Role role,
      @Nullable Double bound,
      double sample,
      String family,
      LineCursor line) {
    switch (role) {
      case COUNT -> count = nonNegative(sample, "negative count for histogram", family, line);
      case SUM -> sum = sample;
      case BUCKET -> {
        if (bound != null && !bound.isNaN()) {
          double population =
              nonNegative(sample, "negative bucket population for histogram", family, line);
          buckets.add(new Bucket(bound, population));
        }
      }
      default -> {
        // The base name of a histogram carries no sample of its own.
      }
    }
  }

  private static double nonNegative(double value, String reason, String family, LineCursor line) {
    if (value < 0) {
      throw line.error(reason + " \"" + family + "\"");
    }
    return value;
  }

  MetricPoint build(MetricType type) {
    return switch (type) {
      case SUMMARY ->
          new MetricPoint(labels, 0, new SummaryValue(count, sum, quantiles), null, timestampMs);
      case HISTOGRAM, GAUGE_HISTOGRAM ->
          new MetricPoint(labels, 0, null, new HistogramValue(count, sum, buckets), timestampMs);
      default -> new MetricPoint(labels, value, null, null, timestampMs);
    };
  }
}
