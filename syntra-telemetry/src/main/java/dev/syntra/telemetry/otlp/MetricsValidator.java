package dev.syntra.telemetry.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link OtlpValidation#metrics}: items are data points; a point is invalid when its attributes
 * nest too deep or an exemplar carries a malformed id.
 */
final class MetricsValidator {
  private MetricsValidator() {}

  static OtlpValidation.Result<MetricsData> validate(MetricsData data) {
    ValidationProblems problems = new ValidationProblems();
    long total = 0;
    for (int r = 0; r < data.getResourceMetricsCount(); r++) {
      ResourceMetrics rm = data.getResourceMetrics(r);
      String resourceProblem =
          ValidationProblems.attributes(
              rm.getResource().getAttributesList(), "resource.attributes");
      for (int s = 0; s < rm.getScopeMetricsCount(); s++) {
        ScopeMetrics sm = rm.getScopeMetrics(s);
        String scopeProblem =
            ValidationProblems.attributes(sm.getScope().getAttributesList(), "scope.attributes");
        for (int m = 0; m < sm.getMetricsCount(); m++) {
          Metric metric = sm.getMetrics(m);
          List<String> pointProblems = pointProblems(metric);
          int points = pointProblems.size();
          total += points;
          String prefix = "resourceMetrics[" + r + "]";
          if (resourceProblem != null) {
            problems.add(points, prefix + "." + resourceProblem);
          } else if (scopeProblem != null) {
            problems.add(points, prefix + ".scopeMetrics[" + s + "]." + scopeProblem);
          } else {
            for (int p = 0; p < points; p++) {
              String problem = pointProblems.get(p);
              if (problem != null) {
                problems.add(1, prefix + ".scopeMetrics[" + s + "].metrics[" + m + "]." + problem);
              }
            }
          }
        }
      }
    }
    if (problems.invalid() == 0) {
      return new OtlpValidation.Result<>(data, total, 0, null);
    }
    return new OtlpValidation.Result<>(
        validOnly(data), total - problems.invalid(), problems.invalid(), problems.message());
  }

  /** One entry per data point: null when it is valid, else its problem. */
  private static List<@Nullable String> pointProblems(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> each(metric.getGauge().getDataPointsList(), "gauge", MetricsValidator::number);
      case SUM -> each(metric.getSum().getDataPointsList(), "sum", MetricsValidator::number);
      case HISTOGRAM ->
          each(metric.getHistogram().getDataPointsList(), "histogram", MetricsValidator::histogram);
      case EXPONENTIAL_HISTOGRAM ->
          each(
              metric.getExponentialHistogram().getDataPointsList(),
              "exponentialHistogram",
              MetricsValidator::exponential);
      case SUMMARY ->
          each(
              metric.getSummary().getDataPointsList(),
              "summary",
              p -> ValidationProblems.attributes(p.getAttributesList(), "attributes"));
      case DATA_NOT_SET -> List.of();
    };
  }

  private static <P> List<@Nullable String> each(
      List<P> points, String kind, Function<P, @Nullable String> check) {
    List<@Nullable String> out = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      String p = check.apply(points.get(i));
      out.add(p == null ? null : kind + ".dataPoints[" + i + "]." + p);
    }
    return out;
  }

  private static @Nullable String number(NumberDataPoint p) {
    return point(p.getAttributesList(), p.getExemplarsList());
  }

  private static @Nullable String histogram(HistogramDataPoint p) {
    return point(p.getAttributesList(), p.getExemplarsList());
  }

  private static @Nullable String exponential(ExponentialHistogramDataPoint p) {
    return point(p.getAttributesList(), p.getExemplarsList());
  }

  private static @Nullable String point(List<KeyValue> attributes, List<Exemplar> exemplars) {
    String problem = ValidationProblems.attributes(attributes, "attributes");
    if (problem != null) {
      return problem;
    }
    for (int e = 0; e < exemplars.size(); e++) {
      Exemplar x = exemplars.get(e);
      if (!IdChecks.validOptionalTraceId(x.getTraceId())) {
        return "exemplars[" + e + "].traceId: " + IdChecks.OPTIONAL_TRACE_ID;
      }
      if (!IdChecks.validOptionalSpanId(x.getSpanId())) {
        return "exemplars[" + e + "].spanId: " + IdChecks.OPTIONAL_SPAN_ID;
      }
      String p = ValidationProblems.attributes(x.getFilteredAttributesList(), "filteredAttributes");
      if (p != null) {
        return "exemplars[" + e + "]." + p;
      }
    }
    return null;
  }

  private static MetricsData validOnly(MetricsData data) {
    MetricsData.Builder out = MetricsData.newBuilder();
    for (ResourceMetrics rm : data.getResourceMetricsList()) {
      if (ValidationProblems.attributes(rm.getResource().getAttributesList(), "") != null) {
        continue;
      }
      ResourceMetrics.Builder rb = rm.toBuilder().clearScopeMetrics();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        if (ValidationProblems.attributes(sm.getScope().getAttributesList(), "") != null) {
          continue;
        }
        ScopeMetrics.Builder sb = sm.toBuilder().clearMetrics();
        for (Metric metric : sm.getMetricsList()) {
          Metric kept = validPoints(metric);
          if (kept != null) {
            sb.addMetrics(kept);
          }
        }
        if (sb.getMetricsCount() > 0) {
          rb.addScopeMetrics(sb);
        }
      }
      if (rb.getScopeMetricsCount() > 0) {
        out.addResourceMetrics(rb);
      }
    }
    return out.build();
  }

  /** {@code metric} with its valid points only; null when it had points and none is valid. */
  private static @Nullable Metric validPoints(Metric metric) {
    List<@Nullable String> problems = pointProblems(metric);
    if (problems.isEmpty() || problems.stream().allMatch(p -> p == null)) {
      return metric;
    }
    if (problems.stream().allMatch(p -> p != null)) {
      return null;
    }
    Metric.Builder b = metric.toBuilder();
    switch (metric.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder()
              .clearDataPoints()
              .addAllDataPoints(keep(metric.getGauge().getDataPointsList(), problems));
      case SUM ->
          b.getSumBuilder()
              .clearDataPoints()
              .addAllDataPoints(keep(metric.getSum().getDataPointsList(), problems));
      case HISTOGRAM ->
          b.getHistogramBuilder()
              .clearDataPoints()
              .addAllDataPoints(keep(metric.getHistogram().getDataPointsList(), problems));
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .clearDataPoints()
              .addAllDataPoints(
                  keep(metric.getExponentialHistogram().getDataPointsList(), problems));
      case SUMMARY ->
          b.getSummaryBuilder()
              .clearDataPoints()
              .addAllDataPoints(keep(metric.getSummary().getDataPointsList(), problems));
      case DATA_NOT_SET -> {
        // no points
      }
    }
    return b.build();
  }

  private static <P> List<P> keep(List<P> points, List<@Nullable String> problems) {
    List<P> out = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      if (problems.get(i) == null) {
        out.add(points.get(i));
      }
    }
    return out;
  }
}
