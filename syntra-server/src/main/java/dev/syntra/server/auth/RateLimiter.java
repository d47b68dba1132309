package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.springframework.http.HttpStatus;

/**
 * Requests per minute per organization, by plan (spec §14.1: free 100, pro 1000, team 5000;
 * enterprise 20000), as token buckets refilled continuously. The buckets live in PostgreSQL (an
 * UNLOGGED table, one row per organization, taken from atomically by {@code
 * syntra_take_rate_token}), so every instance of the control plane sharing the database enforces
 * one limit: two instances do not double an organization's allowance. A request costs at most one
 * single-statement round trip outside any transaction; for limits above 600 per minute an instance
 * takes a tenth of a second's refill at once and serves the next requests from it, so a busy
 * organization costs about ten round trips per second per instance. Thread-safe.
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

  /**
   * Tokens taken ahead, good until {@code expiresAtNanos} ({@link System#nanoTime()}); with none
   * remaining, the organization is refused until then (no token refills before, on any instance).
   */
  private record Ahead(int remaining, long expiresAtNanos) {}

  private record Grant(int granted, long waitMillis) {}

  private static final Duration BATCH_REFILL = Duration.ofMillis(100);
  private static final Duration MIN_AHEAD_TTL = Duration.ofSeconds(1);
  private static final int MAX_AHEAD = 100_000;

  private final Map<String, Integer> perMinuteByPlan;
  private final Jdbi jdbi;
  private final Duration batchRefill;
  private final long aheadTtlNanos;
  private final Map<UUID, Ahead> ahead = new ConcurrentHashMap<>();

  public RateLimiter(Map<String, Integer> perMinuteByPlan, Jdbi jdbi) {
    this(perMinuteByPlan, jdbi, BATCH_REFILL);
  }

  /**
   * {@code batchRefill}: an instance takes ahead as many tokens as refill in this time (at least
   * one, so organizations with small limits never take ahead), and uses them within the longer of
   * this time and a second (then drops what is left: early drops only make the limit stricter). A
   * refused organization is refused here without a query until its next token refills.
   */
  RateLimiter(Map<String, Integer> perMinuteByPlan, Jdbi jdbi, Duration batchRefill) {
    perMinuteByPlan.forEach((plan, limit) -> {
      if (limit < 1) {
        throw new IllegalStateException(
            "SYNTRA_RATE_LIMIT_"
                + plan.toUpperCase(Locale.ROOT)
                + ": expected a positive number of requests per minute, got "
                + limit);
      }
    });
    this.perMinuteByPlan = Map.copyOf(perMinuteByPlan);
    this.jdbi = jdbi;
    this.batchRefill = batchRefill;
    this.aheadTtlNanos = Math.max(batchRefill.toNanos(), MIN_AHEAD_TTL.toNanos());
  }

  /** Takes one request from the organization's bucket or throws {@link Exceeded}. */
  public void acquire(UUID orgId, String plan) {
    int limit = perMinuteByPlan.getOrDefault(plan, perMinuteByPlan.get("free"));
    int batch = (int) Math.max(1, (long) limit * batchRefill.toMillis() / 60_000);
    long refusedForNanos = takeAhead(orgId);
    if (refusedForNanos == 0) {
      return;
    }
    if (refusedForNanos > 0) {
      throw exceeded(refusedForNanos / 1_000_000, limit); // a flood costs no query
    }
    Grant grant = take(orgId, limit, batch);
    if (ahead.size() > MAX_AHEAD) {
      ahead.clear(); // bounded: forgetting costs a query per organization, and loses nothing
    }
    long now = System.nanoTime();
    if (grant.granted() == 0) {
      ahead.put(orgId, new Ahead(0, now + grant.waitMillis() * 1_000_000));
      throw exceeded(grant.waitMillis(), limit);
    }
    if (grant.granted() > 1) {
      ahead.put(orgId, new Ahead(grant.granted() - 1, now + aheadTtlNanos));
    }
  }

  private static Exceeded exceeded(long waitMillis, int limit) {
    return new Exceeded(Math.max(1, (waitMillis + 999) / 1000), limit);
  }

  /**
   * Takes a token taken ahead: 0 when taken, the nanoseconds left when the organization is refused
   * for now, -1 when the database must be asked.
   */
  private long takeAhead(UUID orgId) {
    long[] outcome = {-1};
    long now = System.nanoTime();
    ahead.computeIfPresent(
        orgId,
        (org, tokens) -> {
          long left = tokens.expiresAtNanos() - now;
          if (left <= 0) {
            return null;
          }
          if (tokens.remaining() == 0) {
            outcome[0] = left;
            return tokens;
          }
          outcome[0] = 0;
          return tokens.remaining() > 1
              ? new Ahead(tokens.remaining() - 1, tokens.expiresAtNanos())
              : null;
        });
    return outcome[0];
  }

  /** One round trip, outside any transaction. */
  private Grant take(UUID orgId, int limit, int wanted) {
    return jdbi.withHandle(h ->
        h.createQuery("SELECT granted, wait_ms FROM syntra_take_rate_tokens(:org, :limit, :wanted)")
            .bind("org", orgId)
            .bind("limit", limit)
            .bind("wanted", wanted)
            .map((rs, ctx) -> new Grant(rs.getInt("granted"), rs.getLong("wait_ms")))
            .one());
  }
}
