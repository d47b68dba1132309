package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  @Test
  void standardScheduleIsTheStandardWebhooksOne() {
    RetrySchedule standard = RetrySchedule.standard();
    assertThat(standard).isEqualTo(RetrySchedule.parse("5s, 5m, 30m, 2h, 5h, 10h, 10h"));
    assertThat(standard.maxAttempts()).isEqualTo(8);
    assertThat(standard.delayAfter(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(standard.delayAfter(7)).isEqualTo(Duration.ofHours(10));
    assertThat(standard.delayAfter(8)).isNull();
    assertThat(standard.max()).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void parsesMillisecondsForTestsAndNothingForNoRetries() {
    assertThat(RetrySchedule.parse("20ms,PT1.5S").delays())
        .isEqualTo(List.of(Duration.ofMillis(20), Duration.ofMillis(1500)));
    RetrySchedule none = RetrySchedule.parse("");
    assertThat(none.maxAttempts()).isEqualTo(1);
    assertThat(none.delayAfter(1)).isNull();
  }

  @Test
  void refusesNonPositiveOrUnreadableDelays() {
    assertThatThrownBy(() -> RetrySchedule.parse("5s,0s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetrySchedule.parse("soon"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
