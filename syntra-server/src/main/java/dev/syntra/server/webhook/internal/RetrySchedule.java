package dev.syntra.server.webhook.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * How long to wait after each failed delivery attempt before the next one. A delivery gets one
 * attempt plus one per delay; when the last delay is used up it is marked failed. The default is
 * the Standard Webhooks schedule: immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10
 * h (8 attempts over about 27.6 hours).
 *
 * @param delays the wait after attempt 1, 2, ...; each positive
 */
public record RetrySchedule(List<Duration> delays) {
  public RetrySchedule {
    delays = List.copyOf(delays);
    for (Duration delay : delays) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("retry delays must be positive, got " + delay);
      }
    }
  }

  public static RetrySchedule standard() {
    return new RetrySchedule(
        List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10)));
  }

  /**
   * Parses a comma-separated list such as {@code 5s,5m,30m,2h} (units ns, us, ms, s, m, h, d, or
   * ISO-8601 like {@code PT5S}); an empty text means no retries.
   */
  public static RetrySchedule parse(String text) {
    List<Duration> delays = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        delays.add(DurationStyle.detectAndParse(part.strip()));
      }
    }
    return new RetrySchedule(delays);
  }

  /** Attempts a delivery gets in all. */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /** The wait after failed attempt number {@code attempt} (1-based), or null when none is left. */
  public @Nullable Duration delayAfter(int attempt) {
    return attempt >= 1 && attempt <= delays.size() ? delays.get(attempt - 1) : null;
  }

  /** The longest delay: the cap on what a receiver's {@code Retry-After} can ask for. */
  public Duration max() {
    return delays.isEmpty() ? Duration.ZERO : Collections.max(delays);
  }
}
