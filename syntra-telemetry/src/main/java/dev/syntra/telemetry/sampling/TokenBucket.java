package dev.syntra.telemetry.sampling;

/** A token bucket on a millisecond clock. Not thread-safe (the sampler's lock guards it). */
final class TokenBucket {
  private double capacity;
  private double perMilli;
  private double tokens;
  private long lastMillis;
  private boolean configured;

  /** Sets rate and burst; tokens stay (capped by the new burst), a new bucket starts full. */
  void configure(int perSecond, int burst, long nowMillis) {
    capacity = perSecond > 0 ? Math.max(burst, 1) : 0;
    perMilli = perSecond / 1000.0;
    tokens = configured ? Math.min(tokens, capacity) : capacity;
    lastMillis = nowMillis;
    configured = true;
  }

  boolean tryAcquire(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * perMilli);
      lastMillis = nowMillis;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
