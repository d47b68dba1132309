package dev.syntra.telemetry.prometheus;

import java.util.List;

/**
 * The samples of one summary series: {@code _count}, {@code _sum} (0 when absent, as in the
 * Prometheus data model) and the quantiles in input order.
 */
public record SummaryValue(double count, double sum, List<Quantile> quantiles) {
  public SummaryValue {
    quantiles = List.copyOf(quantiles);
  }
}
