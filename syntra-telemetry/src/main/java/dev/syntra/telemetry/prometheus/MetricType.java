package dev.syntra.telemetry.prometheus;

import java.util.Locale;
import java.util.Optional;

/** The type a {@code # TYPE} line gives a family; families without one are {@link #UNTYPED}. */
public enum MetricType {
  COUNTER,
  GAUGE,
  SUMMARY,
  HISTOGRAM,
  GAUGE_HISTOGRAM,
  UNTYPED;

  /**
   * The type named in a {@code # TYPE} line, case-insensitive; {@code gaugehistogram} and {@code
   * gauge_histogram} both name {@link #GAUGE_HISTOGRAM}.
   */
  static Optional<MetricType> fromWire(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.equals("GAUGEHISTOGRAM")) {
      return Optional.of(GAUGE_HISTOGRAM);
    }
    for (MetricType type : values()) {
      if (type.name().equals(upper)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  boolean isHistogram() {
    return this == HISTOGRAM || this == GAUGE_HISTOGRAM;
  }
}
