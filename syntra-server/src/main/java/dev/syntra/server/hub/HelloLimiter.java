package dev.syntra.server.hub;

import dev.syntra.server.api.TokenBucket;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed {@code agent_hello} attempts per remote address (30 per minute), so tokens cannot
 * be guessed at network speed. Successful hellos are never limited. Bounded: at most 10,000
 * addresses are tracked; beyond that the table is cleared (an attacker rotating addresses gains
 * little: each address still gets only its own budget).
 */
final class HelloLimiter {
  private static final int PER_MINUTE = 30;
  private static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  HelloLimiter(Clock clock) {
    this.clock = clock;
  }

  /** Whether the address has used up its failures for now. */
  boolean blocked(String address) {
    TokenBucket bucket = buckets.get(address);
    return bucket != null && !bucket.hasToken(PER_MINUTE, clock.millis());
  }

  void failed(String address) {
    if (buckets.size() >= MAX_ADDRESSES) {
      buckets.clear();
    }
    buckets
        .computeIfAbsent(address, a -> new TokenBucket(PER_MINUTE, clock.millis()))
        .take(PER_MINUTE, clock.millis());
  }
}
