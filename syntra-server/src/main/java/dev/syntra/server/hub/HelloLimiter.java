package dev.syntra.server.hub;

import dev.syntra.server.api.TokenBucket;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Limits failed {@code agent_hello}s per remote address (by default 30 per minute): registrations
 * with a wrong token and reconnects with a wrong credential alike, so neither registration tokens
 * nor agent credentials can be guessed at network speed, and a flood of bad hellos costs at most
 * that many database lookups per address.
 *
 * <p>Agents behind the same address as an attacker (one NAT) are not locked out: an address that is
 * over its budget still gets to try reconnects of agent ids that have connected through this hub
 * before; those attempts have their own budget per agent id. Bounded: at most 10,000 addresses and
 * agent ids are tracked; beyond that those whose budget has refilled are forgotten. Thread-safe.
 */
final class HelloLimiter {
  private static final int MAX_TRACKED = 10_000;
  private static final int MAX_KNOWN_AGENTS = 1_000_000;

  private final Clock clock;
  private final int perMinute;
  private final Map<String, TokenBucket> addresses = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> agents = new ConcurrentHashMap<>();
  private final Set<String> knownAgents = ConcurrentHashMap.newKeySet();

  HelloLimiter(Clock clock, int failuresPerMinute) {
    this.clock = clock;
    this.perMinute = failuresPerMinute;
  }

  /**
   * Whether a hello from {@code address} (for {@code agentId}, null for a registration) may be
   * checked now, or must be refused without looking at it.
   */
  boolean allows(String address, @Nullable String agentId) {
    if (!blocked(addresses, address)) {
      return true;
    }
    return agentId != null && knownAgents.contains(agentId) && !blocked(agents, agentId);
  }

  /** Counts a failed hello against the address, and against the agent id it named. */
  void failed(String address, @Nullable String agentId) {
    take(addresses, address);
    if (agentId != null && knownAgents.contains(agentId)) {
      take(agents, agentId); // only ids that exist: their number is bounded by the fleet
    }
  }

  /** Remembers an agent id that authenticated, so it is not locked out with its address. */
  void succeeded(String agentId) {
    if (knownAgents.size() < MAX_KNOWN_AGENTS) {
      knownAgents.add(agentId);
    }
  }

  private boolean blocked(Map<String, TokenBucket> buckets, String key) {
    TokenBucket bucket = buckets.get(key);
    return bucket != null && !bucket.hasToken(perMinute, clock.millis());
  }

  private void take(Map<String, TokenBucket> buckets, String key) {
    long now = clock.millis();
    if (buckets.size() >= MAX_TRACKED) {
      buckets.values().removeIf(bucket -> bucket.isFull(perMinute, now));
      if (buckets.size() >= MAX_TRACKED) {
        buckets.clear(); // every tracked key is busy: start over rather than grow
      }
    }
    buckets.computeIfAbsent(key, k -> new TokenBucket(perMinute, now)).take(perMinute, now);
  }
}
