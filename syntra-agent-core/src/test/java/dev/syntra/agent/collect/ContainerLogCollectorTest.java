package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogCollectorTest {
  private static final ServiceRef WEB = new ServiceRef("acme", "shop", "web");
  private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");
  private static final LogSettings FAST =
      new LogSettings(
          Duration.ofMillis(50),
          500,
          64 * 1024,
          2_000,
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          Duration.ofMillis(10),
          Duration.ofMillis(100),
          1_000);

  @TempDir Path stateDir;
  private final FakeLogRuntime runtime = new FakeLogRuntime();
  private final RecordingIntake intake = new RecordingIntake();

  private ContainerLogCollector collector(LogSettings settings) {
    return new ContainerLogCollector(
        runtime, () -> List.of(WEB), stateDir, intake, settings, Clock.systemUTC());
  }

  /** Lines {@code from..to-1}, five per timestamp so restarts land inside a shared instant. */
  private void write(int from, int to) {
    for (int i = from; i < to; i++) {
      LogLine.Stream stream = i % 7 == 0 ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT;
      runtime.write("web-1", stream, T0.plusMillis(i / 5), "line " + i);
    }
  }

  private static List<String> lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
  }

  private void awaitBodies(ContainerLogCollector collector, int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          collector.tick();
          return intake.bodies().size() >= count;
        });
  }

  @Test
  void restartsInsideASharedTimestampWithoutDuplicatesOrGaps() throws Exception {
    write(0, 103); // the last three share an instant with lines 100..104
    try (ContainerLogCollector first = collector(FAST)) {
      awaitBodies(first, 103);
    }
    assertThat(Files.readString(stateDir.resolve(LogPositions.FILE_NAME))).contains("web-1|stdout");
    write(103, 160);
    try (ContainerLogCollector second = collector(FAST)) {
      awaitBodies(second, 160);
      // The oldest stream position: stderr last wrote line 98 at +19 ms.
      assertThat(runtime.reads.getLast().since()).isEqualTo(T0.plusMillis(19));
    }
    assertThat(sorted(intake.bodies())).isEqualTo(lines(0, 160));
  }

  @Test
  void aRecordStillBeingJoinedAtShutdownIsReadAgainNotLost() {
    LogSettings slowFlush =
        new LogSettings(
            Duration.ofHours(1),
            500,
            64 * 1024,
            2_000,
            Duration.ofSeconds(2),
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            1_000);
    runtime.write("web-1", LogLine.Stream.STDERR, T0, "ERROR failed");
    runtime.write(
        "web-1", LogLine.Stream.STDERR, T0.plusMillis(1), "java.lang.IllegalStateException: x");
    runtime.write("web-1", LogLine.Stream.STDERR, T0.plusMillis(2), "\tat a.B.c(B.java:1)");
    runtime.write("web-1", LogLine.Stream.STDOUT, T0.plusMillis(3), "ok");
    try (ContainerLogCollector first = collector(slowFlush)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            first.tick();
            return runtime.reads.size() == 1 && first.services() == 1;
          });
      first.tick();
    }
    assertThat(intake.bodies()).isEmpty(); // both records were still open
    runtime.write("web-1", LogLine.Stream.STDERR, T0.plusMillis(4), "next");
    try (ContainerLogCollector second = collector(FAST)) {
      awaitBodies(second, 3);
    }
    assertThat(intake.bodies())
        .containsExactlyInAnyOrder(
            "ERROR failed\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)", "ok", "next");
    assertThat(intake.chunks).anySatisfy(c -> assertThat(c.priority()).isTrue());
  }

  @Test
  void followsAgainAfterTheStreamEndsWithoutRepeatingLines() {
    write(0, 20);
    try (ContainerLogCollector collector = collector(FAST)) {
      awaitBodies(collector, 20);
      runtime.endStreams();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            collector.tick();
            return runtime.reads.size() >= 2;
          });
      write(20, 40);
      awaitBodies(collector, 40);
    }
    assertThat(sorted(intake.bodies())).isEqualTo(lines(0, 40));
  }

  @Test
  void picksUpNewReplicasAndTagsRecordsWithTheServiceResource() {
    write(0, 5);
    try (ContainerLogCollector collector = collector(FAST)) {
      awaitBodies(collector, 5);
      runtime.replicas.add("web-2");
      runtime.write("web-2", LogLine.Stream.STDOUT, T0.plusSeconds(1), "from web-2");
      awaitBodies(collector, 6);
    }
    assertThat(intake.bodies()).containsOnlyOnce("from web-2", "line 0", "line 4");
    var resource = intake.chunks.getLast().logs().getResourceLogs(0).getResource();
    assertThat(resource.getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
        .contains("service.name=web", "syntra.project=shop", "container.name=web-2");
  }

  @Test
  void refusedChunksAreCountedAndNotRetried() {
    intake.refuse = true;
    write(0, 10);
    try (ContainerLogCollector collector = collector(FAST)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            collector.tick();
            return collector.stats().droppedItems() == 10;
          });
      intake.refuse = false;
      write(10, 12);
      awaitBodies(collector, 2);
      assertThat(collector.stats().refusedChunks()).isPositive();
    }
    assertThat(intake.bodies()).containsExactly("line 10", "line 11");
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlockingForever() {
    LogSettings tiny =
        new LogSettings(
            Duration.ofMillis(1),
            500,
            64 * 1024,
            1,
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            1_000);
    LogPositions positions = LogPositions.open(stateDir);
    ServiceLogTail tail = new ServiceLogTail(WEB, runtime, positions, tiny);
    write(0, 10);
    try (tail) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            tail.tick(System.nanoTime());
            return tail.droppedRecords() >= 5;
          });
      assertThat(tail.drain(100)).hasSize(1);
    }
  }

  private static List<String> sorted(List<String> bodies) {
    List<String> copy = new ArrayList<>(bodies);
    copy.sort((a, b) ->
        Integer.compare(Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5))));
    return copy;
  }
}
