package dev.syntra.server.org;

import dev.syntra.server.api.TokenBucket;
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
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

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
    TokenBucket bucket = buckets.get(client);
    if (bucket == null) {
      if (buckets.size() >= MAX_CLIENTS) {
        evictIdle(now);
        if (buckets.size() >= MAX_CLIENTS) {
          return 60;
        }
      }
      bucket = buckets.computeIfAbsent(client, key -> new TokenBucket(perMinute, now));
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
}
