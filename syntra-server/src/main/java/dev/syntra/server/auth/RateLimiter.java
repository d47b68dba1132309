package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.springframework.http.HttpStatus;

/**
 * Requests per minute per organization, by plan (spec §14.1: free 100, pro 1000, team 5000;
 * enterprise 20000), as token buckets refilled continuously. The buckets live in PostgreSQL (an
 * UNLOGGED table, one row per organization, taken from atomically by {@code
 * syntra_take_rate_token}), so every instance of the control plane sharing the database enforces
 * one limit: two instances do not double an organization's allowance. Each request costs one
 * single-statement round trip outside any transaction. Thread-safe.
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

  private final Map<String, Integer> perMinuteByPlan;
  private final Jdbi jdbi;

  public RateLimiter(Map<String, Integer> perMinuteByPlan, Jdbi jdbi) {
    perMinuteByPlan.forEach((plan, limit) -> {
      if (limit < 1) {
        throw new IllegalStateException(
            "SYNTRA_RATE_LIMIT_" + plan.toUpperCase(java.util.Locale.ROOT)
                + ": expected a positive number of requests per minute, got " + limit);
      }
    });
    this.perMinuteByPlan = Map.copyOf(perMinuteByPlan);
    this.jdbi = jdbi;
  }

  /** Takes one request from the organization's bucket or throws {@link Exceeded}. */
  public void acquire(UUID orgId, String plan) {
    int limit = perMinuteByPlan.getOrDefault(plan, perMinuteByPlan.get("free"));
    long waitMillis =
        jdbi.withHandle(h ->
            h.createQuery("SELECT syntra_take_rate_token(:org, :limit)")
                .bind("org", orgId)
                .bind("limit", limit)
                .mapTo(Long.class)
                .one());
    if (waitMillis > 0) {
      throw new Exceeded(Math.max(1, (waitMillis + 999) / 1000), limit);
    }
  }
}
