package dev.syntra.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.security.ReplayGuard.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void acceptsFreshMessagesOnceAndRejectsReplays() {
    ReplayGuard guard = ReplayGuard.create(clock);
    assertThat(guard.check(NOW, "nonce-aaaaaaaaaaaaaaa")).isEqualTo(Verdict.ACCEPTED);
    assertThat(guard.check(NOW, "nonce-aaaaaaaaaaaaaaa")).isEqualTo(Verdict.REPLAYED);
    assertThat(guard.check(NOW, "nonce-bbbbbbbbbbbbbbb")).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  void rejectsTimestampsOutsideTheWindow() {
    ReplayGuard guard = ReplayGuard.create(clock);
    assertThat(guard.check(NOW.minus(Duration.ofMinutes(5)), "edge-old"))
        .isEqualTo(Verdict.ACCEPTED);
    assertThat(guard.check(NOW.minus(Duration.ofMinutes(5)).minusMillis(1), "too-old"))
        .isEqualTo(Verdict.STALE);
    assertThat(guard.check(NOW.plus(Duration.ofMinutes(5)), "edge-new"))
        .isEqualTo(Verdict.ACCEPTED);
    assertThat(guard.check(NOW.plus(Duration.ofMinutes(5)).plusMillis(1), "too-new"))
        .isEqualTo(Verdict.FUTURE);
  }

  @Test
  void forgetsNoncesOnceTheirTimestampAloneRejectsThem() {
    ReplayGuard guard = ReplayGuard.create(clock);
    guard.check(NOW, "first");
    clock.now = NOW.plus(Duration.ofMinutes(6));
    assertThat(guard.check(clock.now, "second")).isEqualTo(Verdict.ACCEPTED);
    assertThat(guard.size()).isEqualTo(1);
    assertThat(guard.check(NOW, "first")).isEqualTo(Verdict.STALE);
  }

  @Test
  void staysBoundedAndNeverAcceptsAnEvictedNonceAgain() {
    ReplayGuard guard = new ReplayGuard(clock, Duration.ofMinutes(5), 100);
    for (int i = 0; i < 1000; i++) {
      assertThat(guard.check(NOW.plusMillis(i), "n" + i)).isEqualTo(Verdict.ACCEPTED);
    }
    assertThat(guard.size()).isEqualTo(100);
    assertThat(guard.evictions()).isEqualTo(900);
    for (int i = 0; i < 1000; i++) {
      assertThat(guard.check(NOW.plusMillis(i), "n" + i).isAccepted()).isFalse();
    }
  }
}
