package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AcceptRateLimiterTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void allowsTheBudgetThenAsksToWaitUntilATokenRefills() {
    AcceptRateLimiter limiter = new AcceptRateLimiter(20, clock);
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.acquire("203.0.113.1")).isZero();
    }
    assertThat(limiter.acquire("203.0.113.1")).isEqualTo(3);
    clock.advance(Duration.ofSeconds(3));
    assertThat(limiter.acquire("203.0.113.1")).isZero();
    assertThat(limiter.acquire("203.0.113.1")).isPositive();
  }

  @Test
  void keepsAddressesApart() {
    AcceptRateLimiter limiter = new AcceptRateLimiter(1, clock);
    assertThat(limiter.acquire("203.0.113.1")).isZero();
    assertThat(limiter.acquire("203.0.113.1")).isEqualTo(60);
    assertThat(limiter.acquire("203.0.113.2")).isZero();
  }

  @Test
  void forgetsIdleAddressesWhenFullAndRefusesNewOnesUnderAFlood() {
    AcceptRateLimiter limiter = new AcceptRateLimiter(2, clock);
    for (int i = 0; i < AcceptRateLimiter.MAX_CLIENTS; i++) {
      assertThat(limiter.acquire("client-" + i)).isZero();
    }
    assertThat(limiter.acquire("newcomer")).isEqualTo(60);
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.acquire("newcomer")).isZero();
  }

  @Test
  void refusesANonPositiveBudgetAtStart() {
    assertThatThrownBy(() -> new AcceptRateLimiter(0, clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SYNTRA_INVITATION_ACCEPTS_PER_MINUTE");
  }
}
