package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collectors against the real Docker daemon: a container writes sequence-numbered lines to
 * stdout and stderr (and a JSON line and a Java stack trace), the agent's collectors are closed in
 * the middle and started again over the same state directory while the container keeps writing, and
 * every sequence number arrives exactly once.
 */
@ExtendWith(DockerEngine.class)
class CollectorsDockerIT {
  private static final Pattern SEQ = Pattern.compile("^seq (\\d+)$");
  private static final String SCRIPT =
      "printf 'ERROR boom\\njava.lang.IllegalStateException: x\\n\\tat a.B.c(B.java:1)\\n' >&2; "
          + "echo '{\"level\":\"warn\",\"msg\":\"json line\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}'; "
          + "i=0; while [ $i -lt 200000 ]; do "
          + "if [ $((i % 5)) -eq 0 ]; then echo \"seq $i\" >&2; else echo \"seq $i\"; fi; "
          + "i=$((i+1)); if [ $((i % 20)) -eq 0 ]; then usleep 10000; fi; done; sleep 100000";

  @TempDir Path dir;
  private RuntimeAdapter adapter;
  private ServiceRef service;
  private final RecordingIntake intake = new RecordingIntake();

  @BeforeEach
  void deploy() throws Exception {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    String project = "it-" + HexFormat.of().formatHex(b);
    service = new ServiceRef("acme", project, "web");
    Files.createDirectories(dir.resolve("runtime"));
    adapter = DockerEngine.adapter(dir.resolve("runtime"));
    adapter.deploy(
        DeploySpec.builder("d-" + HexFormat.of().formatHex(b), service, DockerEngine.IMAGE)
            .command(List.of("sh", "-c", SCRIPT))
            .build());
  }

  @AfterEach
  void stop() {
    if (adapter != null) {
      adapter.stop(service);
      adapter.close();
    }
  }

  private Collectors collectors() {
    LogSettings settings =
        new LogSettings(
            Duration.ofMillis(200),
            500,
            64 * 1024,
            2_000,
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            1_000);
    return Collectors.builder()
        .intake(intake)
        .stateDir(dir)
        .runtime(adapter)
        .services(() -> List.of(service))
        .logSettings(settings)
        .metricsInterval(Duration.ofSeconds(1))
        .build()
        .start();
  }

  private int maxSeq() {
    return sequence().stream().mapToInt(Integer::intValue).max().orElse(-1);
  }

  private List<Integer> sequence() {
    List<Integer> seq = new ArrayList<>();
    for (String body : intake.bodies()) {
      Matcher m = SEQ.matcher(body);
      if (m.matches()) {
        seq.add(Integer.parseInt(m.group(1)));
      }
    }
    return seq;
  }

  @Test
  void restartInTheMiddleLosesAndRepeatsNothing() {
    try (Collectors first = collectors()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> maxSeq() >= 500);
    }
    int atRestart = maxSeq();
    assertThat(Files.exists(dir.resolve(LogPositions.FILE_NAME))).isTrue();
    try (Collectors second = collectors()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> maxSeq() >= atRestart + 1_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              intake
                  .metricNames()
                  .containsAll(
                      List.of(
                          "container.cpu.utilization",
                          "syntra.health.status",
                          "system.cpu.utilization")));
    }
    List<Integer> seq = sequence();
    Set<Integer> unique = new HashSet<>(seq);
    assertThat(seq).as("no duplicates").hasSameSizeAs(unique);
    // Per stream (stderr carries the multiples of 5), every line up to the last one delivered
    // arrived; only the last record of a stream, still open when the agent stopped, is left for
    // the next start (it is read again then, see aRecordStillBeingJoinedAtShutdownIsReadAgain).
    int maxErr = seq.stream().filter(i -> i % 5 == 0).mapToInt(i -> i).max().orElseThrow();
    int maxOut = seq.stream().filter(i -> i % 5 != 0).mapToInt(i -> i).max().orElseThrow();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i <= Math.max(maxErr, maxOut); i++) {
      if (!unique.contains(i) && i <= (i % 5 == 0 ? maxErr : maxOut)) {
        missing.add(i);
      }
    }
    System.out.println(
        "restart after " + atRestart + ", last stdout " + maxOut + ", last stderr " + maxErr);
    assertThat(atRestart).isLessThan(Math.min(maxErr, maxOut) - 500);
    assertThat(missing).as("no gaps").isEmpty();
    assertThat(intake.bodies())
        .containsOnlyOnce(
            "ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)", "json line");
    assertThat(intake.logRecords())
        .filteredOn(r -> r.getBody().getStringValue().equals("json line"))
        .singleElement()
        .satisfies(r -> assertThat(r.getTraceId().size()).isEqualTo(16));
  }
}
