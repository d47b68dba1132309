package dev.syntra.protocol.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Rejects stale, future-dated and replayed messages. A message is accepted when its timestamp lies
 * within {@code ±window} of the clock and its nonce was not seen before.
 *
 * <p>Memory is bounded by {@code maxNonces}. Nonces older than the window are forgotten, since
 * their timestamp alone now rejects them. When the cache is full the oldest nonce is evicted and
 * its timestamp becomes a floor: messages at or before the floor are rejected as stale, so an
 * evicted nonce can never be replayed. Under normal traffic (far fewer than {@code maxNonces}
 * messages per window) the floor never moves.
 *
 * <p>Thread-safe. Use one guard per peer (per agent connection or per agent id).
 */
public final class ReplayGuard {

  /** Outcome of {@link #check}. */
  public enum Verdict {
    ACCEPTED,
    /** Older than the window, or at/before the eviction floor. */
    STALE,
    /** Further in the future than the window allows. */
    FUTURE,
    /** The nonce was seen before within the window. */
    REPLAYED;

    public boolean isAccepted() {
      return this == ACCEPTED;
    }
  }

  /** The spec's window: five minutes either side. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  private record Seen(Instant ts, String nonce) {}

  private final Clock clock;
  private final Duration window;
  private final int maxNonces;
  private final Map<String, Instant> nonces = new HashMap<>();
  private final PriorityQueue<Seen> byTime = new PriorityQueue<>((a, b) -> a.ts.compareTo(b.ts));
  private Instant floor = Instant.MIN;
  private long evictions;

  public ReplayGuard(Clock clock, Duration window, int maxNonces) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: must be positive");
    }
    if (maxNonces < 1) {
      throw new IllegalArgumentException("maxNonces: must be at least 1");
    }
    this.clock = clock;
    this.window = window;
    this.maxNonces = maxNonces;
  }

  /** ±5 minutes, up to 100,000 remembered nonces (a few MiB at most). */
  public static ReplayGuard create(Clock clock) {
    return new ReplayGuard(clock, DEFAULT_WINDOW, 100_000);
  }

  /** Checks a message and, when accepted, remembers its nonce. */
  public synchronized Verdict check(Instant ts, String nonce) {
    Instant now = clock.instant();
    Instant oldest = now.minus(window);
    if (ts.isBefore(oldest) || !ts.isAfter(floor)) {
      return Verdict.STALE;
    }
    if (ts.isAfter(now.plus(window))) {
      return Verdict.FUTURE;
    }
    forgetOlderThan(oldest);
    if (nonces.containsKey(nonce)) {
      return Verdict.REPLAYED;
    }
    if (nonces.size() >= maxNonces) {
      Seen evicted = byTime.remove();
      nonces.remove(evicted.nonce);
      floor = evicted.ts;
      evictions++;
      if (!ts.isAfter(floor)) {
        return Verdict.STALE;
      }
    }
    nonces.put(nonce, ts);
    byTime.add(new Seen(ts, nonce));
    return Verdict.ACCEPTED;
  }

  /** Nonces currently remembered. */
  public synchronized int size() {
    return nonces.size();
  }

  /** How often a live nonce had to be evicted because the cache was full. */
  public synchronized long evictions() {
    return evictions;
  }

  private void forgetOlderThan(Instant oldest) {
    while (!byTime.isEmpty() && byTime.peek().ts.isBefore(oldest)) {
      nonces.remove(byTime.remove().nonce);
    }
  }

  @Override
  public String toString() {
    return "ReplayGuard[window=" + window + ", maxNonces=" + maxNonces + "]";
  }
}
