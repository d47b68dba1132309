package dev.syntra.telemetry.sampling;

/**
 * One service's limits: its policy, span and log token buckets, and the adaptive trace ratio.
 *
 * <p>Adaptation: once a second the service's offered rate of non-error spans (before the ratio) is
 * smoothed; when the policy ratio times that rate exceeds the span ceiling, the effective ratio
 * becomes {@code ceiling / rate}, so whole traces are dropped consistently by trace id instead of
 * random spans by the bucket. Not thread-safe (the sampler's lock guards it).
 */
final class ServiceState {
  static final int NORMAL = 0;
  static final int PRIORITY = 1;
  static final int SAMPLED_OUT = 2;
  static final int RATE_LIMITED = 3;

  private static final long WINDOW_MILLIS = 1000;

  private final TokenBucket spans = new TokenBucket();
  private final TokenBucket logs = new TokenBucket();
  private SamplingPolicy policy = SamplingPolicy.DEFAULT;
  private boolean configured;
  private long policyThreshold;
  private long effectiveThreshold;
  private double effectiveRatio;
  private long windowStartMillis;
  private long offered;
  private double offeredPerSecond;

  void apply(SamplingPolicy newPolicy, long nowMillis) {
    if (configured && newPolicy == policy) {
      return;
    }
    policy = newPolicy;
    spans.configure(newPolicy.maxSpansPerSecond(), newPolicy.maxSpansPerSecond(), nowMillis);
    logs.configure(newPolicy.maxLogLinesPerSecond(), newPolicy.logBurstLines(), nowMillis);
    policyThreshold = TraceIdRatio.threshold(newPolicy.traceRatio());
    if (!configured) {
      windowStartMillis = nowMillis;
    }
    configured = true;
    adapt();
  }

  /** Closes the measuring window once a second has passed. */
  void roll(long nowMillis) {
    long elapsed = nowMillis - windowStartMillis;
    if (elapsed < WINDOW_MILLIS) {
      return;
    }
    double rate = offered * 1000.0 / elapsed;
    offeredPerSecond = elapsed > 5 * WINDOW_MILLIS ? rate : (offeredPerSecond + rate) / 2;
    offered = 0;
    windowStartMillis = nowMillis;
    adapt();
  }

  private void adapt() {
    double ratio = policy.traceRatio();
    double wanted = ratio * offeredPerSecond;
    int ceiling = policy.maxSpansPerSecond();
    effectiveRatio = wanted <= ceiling ? ratio : ceiling / offeredPerSecond;
    effectiveThreshold = TraceIdRatio.threshold(effectiveRatio);
  }

  /**
   * The decision for a non-error span of a trace not known to contain an error.
   *
   * @param randomness the trace id's randomness, or -1 for an id that has none
   * @return {@link #NORMAL}, {@link #SAMPLED_OUT} or {@link #RATE_LIMITED}
   */
  int decideSpan(long randomness, long nowMillis) {
    offered++;
    if (randomness >= 0) {
      if (randomness < policyThreshold) {
        return SAMPLED_OUT;
      }
      if (randomness < effectiveThreshold) {
        return RATE_LIMITED;
      }
    }
    return spans.tryAcquire(nowMillis) ? NORMAL : RATE_LIMITED;
  }

  boolean tryLogLine(long nowMillis) {
    return logs.tryAcquire(nowMillis);
  }

  double effectiveRatio() {
    return effectiveRatio;
  }
}
