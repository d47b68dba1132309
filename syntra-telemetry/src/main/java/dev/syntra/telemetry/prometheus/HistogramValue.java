package dev.syntra.telemetry.prometheus;

import java.util.List;

/**
 * The samples of one histogram series: {@code _count}, {@code _sum} (0 when absent) and the
 * cumulative buckets in input order (the {@code +Inf} bucket may be missing).
 */
public record HistogramValue(double count, double sum, List<Bucket> buckets) {
  public HistogramValue {
    buckets = List.copyOf(buckets);
  }
}
