package dev.syntra.agent.collect;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.List;

/** Builders of the gauge and cumulative-sum metrics the collectors emit. */
final class MetricBuilder {
  private MetricBuilder() {}

  static NumberDataPoint point(double value, long timeNanos, List<KeyValue> attributes) {
    return NumberDataPoint.newBuilder()
        .setTimeUnixNano(timeNanos)
        .setAsDouble(value)
        .addAllAttributes(attributes)
        .build();
  }

  static NumberDataPoint point(
      long value, long timeNanos, long startNanos, List<KeyValue> attributes) {
    return NumberDataPoint.newBuilder()
        .setTimeUnixNano(timeNanos)
        .setStartTimeUnixNano(startNanos)
        .setAsInt(value)
        .addAllAttributes(attributes)
        .build();
  }

  static Metric gauge(String name, String unit, String description, List<NumberDataPoint> points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setDescription(description)
        .setGauge(Gauge.newBuilder().addAllDataPoints(points))
        .build();
  }

  /** A cumulative sum; {@code monotonic} for counters that only grow. */
  static Metric sum(
      String name,
      String unit,
      String description,
      boolean monotonic,
      List<NumberDataPoint> points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setDescription(description)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(monotonic)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addAllDataPoints(points))
        .build();
  }
}
