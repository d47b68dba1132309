package dev.syntra.protocol.frame;

import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;

/**
 * How many items of each signal a batch holds: spans, log records and metric data points (every
 * point of every gauge, sum, histogram, exponential histogram and summary).
 */
public record SignalCounts(long spans, long logRecords, long metricPoints) {
  public static final SignalCounts ZERO = new SignalCounts(0, 0, 0);

  public SignalCounts {
    if (spans < 0 || logRecords < 0 || metricPoints < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** Counts the items of a batch. */
  public static SignalCounts of(TracesData traces, LogsData logs, MetricsData metrics) {
    long spans =
        traces.getResourceSpansList().stream()
            .flatMap(r -> r.getScopeSpansList().stream())
            .mapToLong(s -> s.getSpansCount())
            .sum();
    long logRecords =
        logs.getResourceLogsList().stream()
            .flatMap(r -> r.getScopeLogsList().stream())
            .mapToLong(s -> s.getLogRecordsCount())
            .sum();
    long points =
        metrics.getResourceMetricsList().stream()
            .flatMap(r -> r.getScopeMetricsList().stream())
            .flatMap(s -> s.getMetricsList().stream())
            .mapToLong(SignalCounts::points)
            .sum();
    return new SignalCounts(spans, logRecords, points);
  }

  public long total() {
    return spans + logRecords + metricPoints;
  }

  private static long points(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }
}
