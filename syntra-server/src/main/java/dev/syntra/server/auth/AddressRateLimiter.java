package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.TokenBucket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;

/**
 * Requests per minute per client address for requests that do not authenticate: public endpoints,
 * and requests with a missing, malformed or unknown API token. Authenticated requests never draw on
 * it (they have their organization's limit). Token buckets refilled continuously; at most 10,000
 * addresses are tracked, beyond that the full ones are forgotten. Thread-safe.
 */
final class AddressRateLimiter {
  private static final int MAX_ADDRESSES = 10_000;

  private final int perMinute;
  private final Clock clock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  AddressRateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute: must be positive");
    }
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** Takes one request from the address's budget, or throws 429 with the seconds to wait. */
  void acquire(String address) {
    long now = clock.millis();
    if (buckets.size() >= MAX_ADDRESSES) {
      buckets.values().removeIf(bucket -> bucket.isFull(perMinute, now));
      if (buckets.size() >= MAX_ADDRESSES) {
        buckets.clear(); // every tracked address is busy: start over rather than grow
      }
    }
    long waitMillis =
        buckets.computeIfAbsent(address, a -> new TokenBucket(perMinute, now)).take(perMinute, now);
    if (waitMillis > 0) {
      throw new Limited(Math.max(1, (waitMillis + 999) / 1000), perMinute);
    }
  }

  /** Whether the address has budget left (without taking any). */
  boolean hasBudget(String address) {
    TokenBucket bucket = buckets.get(address);
    return bucket == null || bucket.hasToken(perMinute, clock.millis());
  }

  /** Thrown when an address is over its limit. */
  static final class Limited extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;
    private final int perMinute;

    Limited(long retryAfterSeconds, int perMinute) {
      super("unauthenticated rate limit exceeded", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
      this.perMinute = perMinute;
    }

    long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    ApiException toApiException() {
      return new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "rate_limited",
          "too many requests without a valid API token from this address ("
              + perMinute
              + " per minute); retry in "
              + retryAfterSeconds
              + " s");
    }
  }
}
