package dev.syntra.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestBudgetTest {
  @Test
  void boundsFramesAndBytesAndFreesWhatIsReleased() {
    IngestBudget budget = new IngestBudget(3, 1000);
    assertThat(budget.tryAcquire(400)).isTrue();
    assertThat(budget.tryAcquire(400)).isTrue();
    assertThat(budget.tryAcquire(400)).as("1200 bytes > 1000").isFalse();
    assertThat(budget.tryAcquire(200)).isTrue();
    assertThat(budget.tryAcquire(1)).as("3 frames").isFalse();
    assertThat(budget.release(400)).isEqualTo(2);
    assertThat(budget.bytes()).isEqualTo(600);
    assertThat(budget.tryAcquire(400)).isTrue();
  }

  @Test
  void takesOneFrameLargerThanTheByteBoundWhenNothingElseWaits() {
    IngestBudget budget = new IngestBudget(3, 1000);
    assertThat(budget.tryAcquire(5000)).isTrue();
    assertThat(budget.tryAcquire(1)).isFalse();
    assertThat(budget.release(5000)).isZero();
    assertThat(budget.frames()).isZero();
  }
}
