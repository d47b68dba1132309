package dev.syntra.runtime.docker.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.LogLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogDeliveryTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.500Z");

  private final List<LogLine> delivered = new CopyOnWriteArrayList<>();

  private static LogLine line(Instant at, String message) {
    return new LogLine(at, LogLine.Stream.STDOUT, "r", message);
  }

  private static LogStreamCallback stream(LogDelivery delivery) {
    LogStreamCallback callback = new LogStreamCallback("r", false, delivery, Clock.systemUTC());
    delivery.register(callback);
    return callback;
  }

  @Test
  void dropsLinesBeforeSinceToTheNanosecond() throws InterruptedException {
    LogDelivery delivery = new LogDelivery(delivered::add, T0);
    stream(delivery);
    delivery.start();

    delivery.offer(line(T0.minusNanos(1), "too early"));
    delivery.offer(line(T0, "at since"));
    delivery.offer(line(T0.plusSeconds(1), "later"));
    delivery.streamEnded("r", null);

    assertThat(delivery.awaitCompletion(Duration.ofSeconds(5))).isTrue();
    assertThat(delivered).extracting(LogLine::message).containsExactly("at since", "later");
    assertThat(delivery.filteredCount()).isEqualTo(1);
  }

  @Test
  void completesOnlyWhenEveryStreamEnded() throws InterruptedException {
    LogDelivery delivery = new LogDelivery(delivered::add, null);
    stream(delivery);
    stream(delivery);
    delivery.start();

    delivery.streamEnded("a", null);
    assertThat(delivery.awaitCompletion(Duration.ofMillis(200))).isFalse();
    delivery.streamEnded("b", new IllegalStateException("connection reset"));

    assertThat(delivery.awaitCompletion(Duration.ofSeconds(5))).isTrue();
    assertThat(delivery.streamErrorCount()).isEqualTo(1);
  }

  @Test
  void countsSinkFailuresAndKeepsDelivering() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    LogDelivery delivery =
        new LogDelivery(
            line -> {
              calls.incrementAndGet();
              throw new IllegalArgumentException("broken sink");
            },
            null);
    stream(delivery);
    delivery.start();
    for (int i = 0; i < 5; i++) {
      delivery.offer(line(T0, "line " + i));
    }
    delivery.streamEnded("r", null);

    assertThat(delivery.awaitCompletion(Duration.ofSeconds(5))).isTrue();
    assertThat(calls).hasValue(5);
    assertThat(delivery.sinkFailureCount()).isEqualTo(5);
  }

  @Test
  void closeReleasesAReaderWaitingOnAFullQueue() throws InterruptedException {
    CountDownLatch sinkEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LogDelivery delivery =
        new LogDelivery(
            line -> {
              sinkEntered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            null);
    stream(delivery);
    delivery.start();
    AtomicInteger accepted = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (delivery.offer(line(T0, "x"))) {
                accepted.incrementAndGet();
              }
            },
            "test-reader");
    reader.start();
    sinkEntered.await();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> accepted.get() >= LogDelivery.QUEUE_CAPACITY);

    release.countDown();
    delivery.close();
    delivery.close();

    reader.join(Duration.ofSeconds(5).toMillis());
    assertThat(reader.isAlive()).isFalse();
    assertThat(delivery.awaitCompletion(Duration.ofSeconds(5))).isTrue();
    assertThat(delivery.isClosed()).isTrue();
  }
}
