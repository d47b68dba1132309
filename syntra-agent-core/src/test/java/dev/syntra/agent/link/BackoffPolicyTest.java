package dev.syntra.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private final BackoffPolicy policy = BackoffPolicy.DEFAULT;

  @Test
  void doublesFromOneSecondWithoutJitterAtTheMidpoint() {
    assertThat(policy.delay(0, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(1, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(2, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(4, 0.5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(policy.delay(5, 0.5)).isEqualTo(Duration.ofSeconds(32));
  }

  @Test
  void isCappedAtSixtySecondsWhateverTheJitter() {
    for (int attempt = 6; attempt < 1000; attempt += 7) {
      assertThat(policy.delay(attempt, 0.999)).isEqualTo(Duration.ofSeconds(60));
      assertThat(policy.delay(attempt, 0.0)).isEqualTo(Duration.ofSeconds(48));
    }
  }

  @Test
  void jitterSpreadsTwentyPercentEitherSide() {
    assertThat(policy.delay(2, 0.0)).isEqualTo(Duration.ofMillis(3200));
    assertThat(policy.delay(2, 0.99999))
        .isBetween(Duration.ofMillis(4799), Duration.ofMillis(4800));
  }
}
