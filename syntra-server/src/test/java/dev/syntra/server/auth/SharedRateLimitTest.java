package dev.syntra.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.ServerTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Rate limits held in PostgreSQL: two limiters on one database (two instances of the control plane)
 * share each organization's allowance instead of each granting it in full.
 */
class SharedRateLimitTest extends ServerTestSupport {
  @Autowired private Jdbi jdbi;

  @Test
  void twoInstancesShareOneBucketPerOrganization() {
    RateLimiter a = new RateLimiter(Map.of("free", 5), jdbi);
    RateLimiter b = new RateLimiter(Map.of("free", 5), jdbi);
    UUID org = UUID.randomUUID();
    UUID other = UUID.randomUUID();

    for (int i = 0; i < 3; i++) {
      a.acquire(org, "free");
    }
    b.acquire(org, "free");
    b.acquire(org, "free");

    assertThatThrownBy(() -> a.acquire(org, "free"))
        .isInstanceOfSatisfying(
            RateLimiter.Exceeded.class,
            e -> {
              assertThat(e.retryAfterSeconds()).isBetween(1L, 12L);
              assertThat(e.toApiException().getMessage()).contains("5 requests per minute");
            });
    assertThatThrownBy(() -> b.acquire(org, "free")).isInstanceOf(RateLimiter.Exceeded.class);
    b.acquire(other, "free"); // another organization has its own bucket
  }

  @Test
  void tokensTakenAheadByOneInstanceAreNotGrantedToAnother() {
    // 6 a minute, 30 s of refill taken at once: batches of 3 (one token refills in 10 s).
    RateLimiter a = new RateLimiter(Map.of("free", 6), jdbi, Duration.ofSeconds(30));
    RateLimiter b = new RateLimiter(Map.of("free", 6), jdbi, Duration.ofSeconds(30));
    UUID org = UUID.randomUUID();

    a.acquire(org, "free"); // takes 3 from the database, uses 1
    b.acquire(org, "free"); // takes the other 3
    a.acquire(org, "free");
    a.acquire(org, "free");
    b.acquire(org, "free");
    b.acquire(org, "free");

    assertThatThrownBy(() -> a.acquire(org, "free")).isInstanceOf(RateLimiter.Exceeded.class);
    assertThatThrownBy(() -> b.acquire(org, "free")).isInstanceOf(RateLimiter.Exceeded.class);
  }

  @Test
  void unknownPlansGetTheFreeLimitAndLimitsMustBePositive() {
    RateLimiter limiter = new RateLimiter(Map.of("free", 1, "pro", 10), jdbi);
    UUID org = UUID.randomUUID();
    limiter.acquire(org, "no-such-plan");
    assertThatThrownBy(() -> limiter.acquire(org, "no-such-plan"))
        .isInstanceOf(RateLimiter.Exceeded.class);
    assertThatThrownBy(() -> new RateLimiter(Map.of("free", 0), jdbi))
        .hasMessageContaining("SYNTRA_RATE_LIMIT_FREE");
  }
}
