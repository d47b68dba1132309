package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static final Instant AT = Instant.parse("2026-01-31T10:00:00Z");
  private final RetrySchedule standard = RetrySchedule.standard();
  private final SplittableRandom random = new SplittableRandom();

  @Test
  void succeedsOnA2xx() {
    assertThat(Verdict.after(standard, 3, AT, true, Duration.ofHours(1), random))
        .isEqualTo(new Verdict("succeeded", AT, "succeeded"));
  }

  @RepeatedTest(20)
  void retriesAfterTheScheduledDelayWithAtMostTenPercentJitter() {
    Verdict verdict = Verdict.after(standard, 2, AT, false, null, random);
    assertThat(verdict.status()).isEqualTo("pending");
    assertThat(verdict.outcome()).isEqualTo("retried");
    assertThat(Duration.between(AT, verdict.nextAttemptAt()))
        .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(30));
  }

  @Test
  void waitsAsLongAsRetryAfterAsksUpToTheLongestDelay() {
    Verdict asked = Verdict.after(standard, 1, AT, false, Duration.ofMinutes(2), random);
    assertThat(asked.nextAttemptAt()).isEqualTo(AT.plus(Duration.ofMinutes(2)));
    Verdict capped = Verdict.after(standard, 1, AT, false, Duration.ofDays(30), random);
    assertThat(capped.nextAttemptAt()).isEqualTo(AT.plus(Duration.ofHours(10)));
    Verdict shorter = Verdict.after(standard, 2, AT, false, Duration.ofSeconds(1), random);
    assertThat(Duration.between(AT, shorter.nextAttemptAt()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void failsAfterTheLastAttempt() {
    assertThat(Verdict.after(standard, 8, AT, false, Duration.ofSeconds(5), random))
        .isEqualTo(new Verdict("failed", AT, "failed"));
    assertThat(Verdict.after(RetrySchedule.parse(""), 1, AT, false, null, random).status())
        .isEqualTo("failed");
  }
}
