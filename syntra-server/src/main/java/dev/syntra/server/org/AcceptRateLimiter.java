package dev.syntra.server.org;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Attempts per minute per client address at the one public write endpoint, accepting invitations
 * ({@code SYNTRA_INVITATION_ACCEPTS_PER_MINUTE}, default 20), as token buckets refilled
 * continuously. At most {@link #MAX_CLIENTS} addresses are tracked; when that many are busy at
 * once, new addresses are refused until buckets refill (failing closed under a flood). Thread-safe.
 */
@Component
final class AcceptRateLimiter {
  /** Addresses tracked at once; each costs a few dozen bytes. */
  static final int MAX_CLIENTS = 10_000;

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  @Autowired
  AcceptRateLimiter(Environment env, Clock clock) {
    this(env.getProperty("SYNTRA_INVITATION_ACCEPTS_PER_MINUTE", Integer.class, 20), clock);
  }

  AcceptRateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalStateException(
          "SYNTRA_INVITATION_ACCEPTS_PER_MINUTE must be at least 1, was " + perMinute);
    }
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** Takes one attempt for {@code client}: 0 when allowed, else seconds until one is. */
  long acquire(String client) {
    long now = clock.millis();
    Bucket bucket = buckets.get(client);
    if (bucket == null) {
      if (buckets.size() >= MAX_CLIENTS) {
        evictIdle(now);
        if (buckets.size() >= MAX_CLIENTS) {
          return 60;
        }
      }
      bucket = buckets.computeIfAbsent(client, key -> new Bucket(perMinute, now));
    }
    long waitMillis = bucket.take(perMinute, now);
    return waitMillis == 0 ? 0 : Math.max(1, (waitMillis + 999) / 1000);
  }

  int perMinute() {
    return perMinute;
  }

  /** Forgets every client, as after a restart. Used by tests that exhaust a bucket on purpose. */
  void clear() {
    buckets.clear();
  }

  /** Drops buckets that have refilled completely: forgetting them changes nothing. */
  private void evictIdle(long now) {
    buckets.entrySet().removeIf(entry -> entry.getValue().isFull(perMinute, now));
  }

  private static final class Bucket {
    private double tokens;
    private long updatedAt;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.updatedAt = now;
    }

    /** 0 when a token was taken, else milliseconds until one is available. */
    synchronized long take(int perMinute, long now) {
      refill(perMinute, now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / (perMinute / 60_000.0));
    }

    synchronized boolean isFull(int perMinute, long now) {
      refill(perMinute, now);
      return tokens >= perMinute;
    }

    private void refill(int perMinute, long now) {
      double perMilli = perMinute / 60_000.0;
      tokens = Math.min(perMinute, tokens + Math.max(0, now - updatedAt) * perMilli);
      updatedAt = Math.max(updatedAt, now);
    }
  }
}
