package dev.syntra.server.api;

/**
 * A rate-limit bucket of {@code perMinute} tokens, refilled continuously. Times are wall-clock
 * milliseconds; a clock stepping back (NTP) neither refills nor drains it. Thread-safe.
 */
public final class TokenBucket {
  private double tokens;
  private long updatedAt;

  /** A full bucket. */
  public TokenBucket(int perMinute, long now) {
    this.tokens = perMinute;
    this.updatedAt = now;
  }

  /** Takes one token: 0 when taken, else milliseconds until one is available. */
  public synchronized long take(int perMinute, long now) {
    refill(perMinute, now);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / (perMinute / 60_000.0));
  }

  /** Whether a token could be taken now (without taking it). */
  public synchronized boolean hasToken(int perMinute, long now) {
    refill(perMinute, now);
    return tokens >= 1;
  }

  /** Whether the bucket has refilled completely (forgetting it would change nothing). */
  public synchronized boolean isFull(int perMinute, long now) {
    refill(perMinute, now);
    return tokens >= perMinute;
  }

  private void refill(int perMinute, long now) {
    tokens = Math.min(perMinute, tokens + Math.max(0, now - updatedAt) * (perMinute / 60_000.0));
    updatedAt = Math.max(updatedAt, now);
  }
}
