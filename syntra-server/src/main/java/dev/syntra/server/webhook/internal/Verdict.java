package dev.syntra.server.webhook.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * What becomes of a delivery after an attempt.
 *
 * @param status {@code succeeded}, {@code failed} (no attempt left), or {@code pending} (retried)
 * @param nextAttemptAt when it is due again (the attempt's time unless pending)
 * @param outcome the metric tag: {@code succeeded}, {@code failed} or {@code retried}
 */
record Verdict(String status, Instant nextAttemptAt, String outcome) {

  /**
   * Decides after attempt number {@code attempt} (1-based) made at {@code at}. A failure waits the
   * schedule's delay plus up to 10% jitter (so receivers recovering from an outage are not hit by
   * every retry at once), or the receiver's {@code Retry-After} if that is longer, capped at the
   * schedule's longest delay.
   */
  static Verdict after(
      RetrySchedule schedule,
      int attempt,
      Instant at,
      boolean succeeded,
      @Nullable Duration retryAfter,
      RandomGenerator random) {
    if (succeeded) {
      return new Verdict("succeeded", at, "succeeded");
    }
    Duration scheduled = schedule.delayAfter(attempt);
    if (scheduled == null) {
      return new Verdict("failed", at, "failed");
    }
    Duration delay = scheduled.plusMillis(random.nextLong(scheduled.toMillis() / 10 + 1));
    if (retryAfter != null) {
      Duration asked = retryAfter.compareTo(schedule.max()) > 0 ? schedule.max() : retryAfter;
      delay = asked.compareTo(delay) > 0 ? asked : delay;
    }
    return new Verdict("pending", at.plus(delay), "retried");
  }
}
