package dev.syntra.telemetry.otlp;

import com.google.protobuf.Message;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks an OTLP receiver applies to a decoded request before it takes the data: a span's trace
 * id is 16 bytes and not all zero, its span id 8 bytes and not zero, its parent span id empty or 8
 * bytes, its end not before its start; links likewise; log records and exemplars carry either no
 * ids or valid ones; attribute values (and log bodies) nest at most {@value #MAX_VALUE_DEPTH}
 * levels.
 *
 * <p>An invalid item is dropped from the request and counted; the valid ones go on. Receivers
 * answer OTLP {@code partial_success} with the count and {@link Result#message()}, and a 400 (gRPC
 * {@code INVALID_ARGUMENT}) when every item is invalid. A problem of a resource or scope (its
 * attributes nest too deep) makes all items under it invalid. Items: spans, log records, metric
 * data points.
 *
 * <p>Stateless and thread-safe. When nothing is invalid the request is returned as it is (no copy).
 */
public final class OtlpValidation {
  /** Deepest AnyValue nesting accepted; a scalar attribute value is depth 1. */
  public static final int MAX_VALUE_DEPTH = 16;

  private OtlpValidation() {}

  /**
   * What a check found.
   *
   * @param valid the request without its invalid items (the same instance when all are valid)
   * @param validItems items in {@code valid}
   * @param invalidItems items dropped
   * @param message the first problem with its path (e.g. {@code
   *     resourceSpans[0].scopeSpans[0].spans[3].traceId: must be 16 bytes, not all zero}) and the
   *     total; null when nothing was invalid
   */
  public record Result<T extends Message>(
      T valid, long validItems, long invalidItems, @Nullable String message) {
    public Result {
      Objects.requireNonNull(valid, "valid");
    }

    /** True when the request had items and none of them was valid: a 400 / INVALID_ARGUMENT. */
    public boolean allInvalid() {
      return invalidItems > 0 && validItems == 0;
    }
  }

  public static Result<TracesData> traces(TracesData data) {
    return TracesValidator.validate(data);
  }

  public static Result<LogsData> logs(LogsData data) {
    return LogsValidator.validate(data);
  }

  public static Result<MetricsData> metrics(MetricsData data) {
    return MetricsValidator.validate(data);
  }
}
