package dev.syntra.agent.link;

import java.time.Duration;

/**
 * Reconnect delays: exponential from {@code initial} (doubling per failed attempt) up to {@code
 * max}, spread by ±{@code jitter} so that many agents do not reconnect in lock step, and never
 * above {@code max}. A pure function: the randomness is a parameter.
 *
 * @param initial delay before the first retry, e.g. 1 s
 * @param max upper bound of every delay, e.g. 60 s
 * @param jitter relative spread, 0 to 1, e.g. 0.2 for ±20%
 */
public record BackoffPolicy(Duration initial, Duration max, double jitter) {
  /** 1 s, 2 s, 4 s … at most 60 s, ±20% (PRD §22). */
  public static final BackoffPolicy DEFAULT =
      new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);

  public BackoffPolicy {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial: must be positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max: must be at least initial");
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter: must be in [0, 1)");
    }
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first retry).
   *
   * @param random a uniform random number in [0, 1)
   */
  public Duration delay(int attempt, double random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt: must not be negative");
    }
    double base = initial.toMillis() * Math.pow(2, Math.min(attempt, 40));
    double capped = Math.min(base, max.toMillis());
    double spread = capped * (1 - jitter + 2 * jitter * random);
    return Duration.ofMillis(Math.round(Math.min(spread, max.toMillis())));
  }
}
