package dev.syntra.telemetry.prometheus;

import java.util.List;
import java.util.Objects;

/**
 * A metric family: every series of one metric name, with its {@code # HELP} text ("" when absent)
 * and {@code # TYPE}.
 */
public record MetricFamily(String name, MetricType type, String help, List<MetricPoint> points) {
  public MetricFamily {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    points = List.copyOf(points);
  }
}
