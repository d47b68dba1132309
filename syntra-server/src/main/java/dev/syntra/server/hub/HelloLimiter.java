package dev.syntra.server.hub;

import dev.syntra.server.api.TokenBucket;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed registration attempts ({@code agent_hello} with a registration token) per remote
 * address (30 per minute), so registration tokens cannot be guessed at network speed. Reconnects of
 * registered agents are never limited. Bounded: at most 10,000 addresses are tracked; beyond that
 * the addresses whose budget has refilled are forgotten.
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
      long now = clock.millis();
      buckets.values().removeIf(bucket -> bucket.isFull(PER_MINUTE, now));
      if (buckets.size() >= MAX_ADDRESSES) {
        buckets.clear(); // every tracked address is busy: start over rather than grow
      }
    }
    buckets
        .computeIfAbsent(address, a -> new TokenBucket(PER_MINUTE, clock.millis()))
        .take(PER_MINUTE, clock.millis());
  }
}
