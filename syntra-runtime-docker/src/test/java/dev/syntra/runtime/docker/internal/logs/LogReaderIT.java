package dev.syntra.runtime.docker.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.runtime.docker.DockerAvailable;
import dev.syntra.runtime.docker.ExecTestDocker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DockerAvailable.class)
class LogReaderIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ExecTestDocker env;
  private LogReader reader;
  private final List<LogLine> lines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    env = new ExecTestDocker();
    reader = new LogReader(env.docker, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
  }

  private String finished(String script) {
    String id = env.run(ExecTestDocker.HTTPD, List.of("sh", "-c", script), h -> {});
    assertThat(env.awaitExit(id)).isZero();
    return id;
  }

  private List<String> messages(LogLine.Stream stream) {
    return lines.stream().filter(l -> l.stream() == stream).map(LogLine::message).toList();
  }

  private void readAll(List<String> ids, LogOptions options) throws InterruptedException {
    try (LogSubscription sub = reader.read(ids, options, lines::add)) {
      assertThat(sub.awaitCompletion(WAIT)).isTrue();
    }
  }

  @Test
  void keepsStdoutAndStderrApartWithTheDaemonTimestampAndTheReplicaName()
      throws InterruptedException {
    Instant before = Instant.now().minusSeconds(5);
    String id = finished("echo out1; echo err1 >&2; echo out2; echo err2 >&2");

    readAll(List.of(id), LogOptions.RECENT);

    assertThat(messages(LogLine.Stream.STDOUT)).containsExactly("out1", "out2");
    assertThat(messages(LogLine.Stream.STDERR)).containsExactly("err1", "err2");
    assertThat(lines)
        .allSatisfy(l -> {
          assertThat(l.replicaId()).isEqualTo(env.name(id)).doesNotStartWith("/");
          assertThat(l.at()).isBetween(before, Instant.now());
        });
  }

  @Test
  void readsOnlyTheSelectedStream() throws InterruptedException {
    String id = finished("echo out; echo err >&2");

    readAll(List.of(id), new LogOptions(false, null, null, false, true));

    assertThat(lines).extracting(LogLine::message).containsExactly("err");
  }

  @Test
  void tailReturnsTheLastLinesOnly() throws InterruptedException {
    String id = finished("for i in 1 2 3 4 5; do echo line$i; done");

    readAll(List.of(id), new LogOptions(false, null, 2, true, true));

    assertThat(lines).extracting(LogLine::message).containsExactly("line4", "line5");
  }

  @Test
  void sinceIsAppliedToTheExactInstantNotJustTheSecond() throws InterruptedException {
    String id = finished("echo early; sleep 0.3; echo late");
    readAll(List.of(id), LogOptions.RECENT);
    Instant late = lines.get(1).at();
    lines.clear();

    readAll(List.of(id), new LogOptions(false, late, null, true, true));

    assertThat(lines).extracting(LogLine::message).containsExactly("late");
  }

  @Test
  void followDeliversLinesAsTheyComeAndCompletesWhenTheContainerStops()
      throws InterruptedException {
    String id =
        env.run(
            ExecTestDocker.HTTPD,
            List.of(
                "sh", "-c", "for i in 0 1 2 3 4; do echo tick$i; echo tock$i >&2; sleep 0.2; done"),
            h -> {});

    readAll(List.of(id), new LogOptions(true, null, null, true, true));

    assertThat(messages(LogLine.Stream.STDOUT))
        .containsExactly("tick0", "tick1", "tick2", "tick3", "tick4");
    assertThat(messages(LogLine.Stream.STDERR))
        .containsExactly("tock0", "tock1", "tock2", "tock3", "tock4");
  }

  @Test
  void followRunsUntilClosedAndCloseIsIdempotent() throws InterruptedException {
    String id = env.run(ExecTestDocker.HTTPD, List.of(), h -> {});

    LogSubscription sub =
        reader.read(List.of(id), new LogOptions(true, null, 0, true, true), lines::add);
    assertThat(sub.awaitCompletion(Duration.ofMillis(500))).isFalse();

    sub.close();
    assertThat(sub.awaitCompletion(Duration.ofSeconds(5))).isTrue();
    sub.close();
  }

  @Test
  void readsSeveralReplicasAndSkipsOnesThatNoLongerExist() throws InterruptedException {
    String a = finished("echo from-a");
    String b = finished("echo from-b >&2");

    readAll(List.of(a, "syn-gone-container", b), LogOptions.RECENT);

    assertThat(lines)
        .extracting(l -> l.replicaId() + ":" + l.message())
        .containsExactlyInAnyOrder(env.name(a) + ":from-a", env.name(b) + ":from-b");
  }

  @Test
  void splitsLinesLongerThan16KiB() throws InterruptedException {
    String id = finished("head -c 20000 /dev/zero | tr '\\0' a; echo; echo short");

    readAll(List.of(id), LogOptions.RECENT);

    assertThat(lines).extracting(l -> l.message().length()).containsExactly(16384, 3616, 5);
  }

  @Test
  void callsTheSinkOnANamedThreadAndSurvivesItsExceptions() throws InterruptedException {
    String id = finished("for i in 1 2 3; do echo line$i; done");
    Set<String> threads = ConcurrentHashMap.newKeySet();

    LogSubscription sub =
        reader.read(
            List.of(id),
            LogOptions.RECENT,
            line -> {
              threads.add(Thread.currentThread().getName());
              lines.add(line);
              throw new IllegalStateException("sink broken");
            });

    assertThat(sub.awaitCompletion(WAIT)).isTrue();
    assertThat(lines).hasSize(3);
    assertThat(threads).singleElement().asString().startsWith("syntra-docker-logs-");
    assertThat(((LogDelivery) sub).sinkFailureCount()).isEqualTo(3);
    sub.close();
  }
}
