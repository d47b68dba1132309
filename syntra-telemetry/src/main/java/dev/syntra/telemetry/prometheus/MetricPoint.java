package dev.syntra.telemetry.prometheus;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One series of a family: its labels (without {@code quantile}/{@code le}) in the order of its
 * first sample, and its value. Counters, gauges and untyped series carry {@code value}; summaries
 * carry {@code summary}; histograms and gauge histograms carry {@code histogram}.
 *
 * @param timestampMs the sample's timestamp in milliseconds since the epoch, or null when the
 *     exposition gave none (for summaries and histograms: the last one given by any of its samples)
 */
public record MetricPoint(
    List<Label> labels,
    double value,
    @Nullable SummaryValue summary,
    @Nullable HistogramValue histogram,
    @Nullable Long timestampMs) {
  public MetricPoint {
    labels = List.copyOf(labels);
  }
}
