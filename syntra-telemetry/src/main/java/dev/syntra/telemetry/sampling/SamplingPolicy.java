package dev.syntra.telemetry.sampling;

/**
 * How one service's telemetry is sampled. Maps 1:1 to JSON with snake_case fields: {@code
 * trace_ratio}, {@code max_spans_per_second}, {@code max_log_lines_per_second}, {@code
 * log_burst_lines}.
 *
 * <p>Error spans, every span of a trace that contains an error, and logs with severity ERROR or
 * above are kept whatever the policy says.
 *
 * @param traceRatio share of traces kept, 0 to 1, decided by trace id (see {@link TraceIdRatio})
 * @param maxSpansPerSecond ceiling for the service's non-error spans per second (token bucket with
 *     one second of burst); above it spans are dropped as rate limited and the effective ratio
 *     adapts down; 0 drops every non-error span
 * @param maxLogLinesPerSecond ceiling for the service's non-error log records per second; 0 drops
 *     every non-error log record
 * @param logBurstLines how many log records may pass at once above the per-second rate
 */
public record SamplingPolicy(
    double traceRatio, int maxSpansPerSecond, int maxLogLinesPerSecond, int logBurstLines) {

  /** Keep every trace, at most 20,000 spans/s and 2,000 log lines/s (burst 10,000) per service. */
  public static final SamplingPolicy DEFAULT = new SamplingPolicy(1.0, 20_000, 2_000, 10_000);

  public SamplingPolicy {
    if (!(traceRatio >= 0 && traceRatio <= 1)) {
      throw new IllegalArgumentException("trace_ratio: must be between 0 and 1, got " + traceRatio);
    }
    requireNotNegative("max_spans_per_second", maxSpansPerSecond);
    requireNotNegative("max_log_lines_per_second", maxLogLinesPerSecond);
    requireNotNegative("log_burst_lines", logBurstLines);
  }

  public SamplingPolicy withTraceRatio(double ratio) {
    return new SamplingPolicy(ratio, maxSpansPerSecond, maxLogLinesPerSecond, logBurstLines);
  }

  public SamplingPolicy withMaxSpansPerSecond(int spans) {
    return new SamplingPolicy(traceRatio, spans, maxLogLinesPerSecond, logBurstLines);
  }

  public SamplingPolicy withLogLimit(int linesPerSecond, int burstLines) {
    return new SamplingPolicy(traceRatio, maxSpansPerSecond, linesPerSecond, burstLines);
  }

  private static void requireNotNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": must not be negative, got " + value);
    }
  }
}
