package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.TokenBucket;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;

/**
 * Requests per minute per organization, by plan (spec §14.1: free 100, pro 1000, team 5000;
 * enterprise 20000), as token buckets refilled continuously. One bucket per organization, at most
 * 100,000 of them (beyond that all are forgotten and start full again). Thread-safe.
 */
public final class RateLimiter {
  /** Thrown when an organization is over its limit. */
  public static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;
    private final int limit;

    Exceeded(long retryAfterSeconds, int limit) {
      super("rate limit exceeded", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
      this.limit = limit;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    public ApiException toApiException() {
      return new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "rate_limited",
          "this organization's plan allows "
              + limit
              + " requests per minute; retry in "
              + retryAfterSeconds
              + " s");
    }
  }

  private static final int MAX_BUCKETS = 100_000;

  private final Map<String, Integer> perMinuteByPlan;
  private final Clock clock;
  private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(Map<String, Integer> perMinuteByPlan, Clock clock) {
    this.perMinuteByPlan = Map.copyOf(perMinuteByPlan);
    this.clock = clock;
  }

  /** Takes one request from the organization's bucket or throws {@link Exceeded}. */
  public void acquire(UUID orgId, String plan) {
    int limit = perMinuteByPlan.getOrDefault(plan, perMinuteByPlan.get("free"));
    if (buckets.size() > MAX_BUCKETS) {
      // Bounded memory: forget every bucket; organizations start again with a full one.
      buckets.clear();
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(orgId, id -> new TokenBucket(limit, clock.millis()));
    long waitMillis = bucket.take(limit, clock.millis());
    if (waitMillis > 0) {
      throw new Exceeded(Math.max(1, (waitMillis + 999) / 1000), limit);
    }
  }
}
