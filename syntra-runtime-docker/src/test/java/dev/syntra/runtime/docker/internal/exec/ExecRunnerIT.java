package dev.syntra.runtime.docker.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.TopContainerResponse;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.DockerAvailable;
import dev.syntra.runtime.docker.ExecTestDocker;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DockerAvailable.class)
class ExecRunnerIT {
  private ExecTestDocker env;
  private ExecRunner runner;

  @BeforeEach
  void setUp() {
    env = new ExecTestDocker();
    runner = new ExecRunner(env.docker);
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
  }

  private String running() {
    return env.run(ExecTestDocker.HTTPD, List.of(), h -> {});
  }

  private boolean runs(String containerId, String commandLine) {
    TopContainerResponse top = env.docker.topContainerCmd(containerId).exec();
    return Arrays.stream(top.getProcesses())
        .anyMatch(p -> String.join(" ", p).contains(commandLine));
  }

  @Test
  void returnsTheExitCodeAndKeepsStdoutAndStderrApart() {
    String id = running();

    ExecResult result =
        runner.run(id, List.of("sh", "-c", "echo out; echo err >&2; exit 7"), ExecOptions.DEFAULTS);

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.truncated()).isFalse();
    assertThat(result.timedOut()).isFalse();
    assertThat(result.duration()).isPositive().isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void runsArgvWithoutAShell() {
    String id = running();

    ExecResult result = runner.run(id, List.of("echo", "$HOME", "a  b"), ExecOptions.DEFAULTS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("$HOME a  b\n");
  }

  @Test
  void boundsEachStreamAndMarksTheResultTruncated() {
    String id = running();
    String script = "head -c 5000 /dev/zero | tr '\\0' x; printf yyyyyyyyyy >&2";

    ExecResult result =
        runner.run(
            id, List.of("sh", "-c", script), new ExecOptions(Duration.ofSeconds(30), 1000, null));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).hasSize(1000).matches("x+");
    assertThat(result.stderr()).isEqualTo("yyyyyyyyyy");
    assertThat(result.truncated()).isTrue();
  }

  @Test
  void stopsWaitingOnTimeoutAndKillsTheProcessWithItsChildren() {
    String id = running();
    ExecOptions options = new ExecOptions(Duration.ofMillis(700), 1 << 20, null);

    ExecResult result =
        runner.run(id, List.of("sh", "-c", "echo started; sleep 47; echo never"), options);

    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.stdout()).isEqualTo("started\n");
    assertThat(result.duration()).isBetween(Duration.ofMillis(700), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> !runs(id, "sleep 47"));
    assertThat(runner.timeoutCount()).isEqualTo(1);
    assertThat(runner.unkilledCount()).isZero();
  }

  @Test
  void aContainerThatIsNotRunningIsAConflict() {
    String created = env.create(ExecTestDocker.HTTPD, List.of(), h -> {});

    assertThatThrownBy(() -> runner.run(created, List.of("true"), ExecOptions.DEFAULTS))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("is not running")
        .hasMessageContaining(created);
  }

  @Test
  void aContainerThatIsGoneIsReportedAsSuch() {
    assertThatThrownBy(
            () -> runner.run("syn-no-such-container", List.of("true"), ExecOptions.DEFAULTS))
        .isInstanceOfSatisfying(
            RuntimeAdapterException.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeErrorCode.SERVICE_NOT_FOUND))
        .hasMessageContaining("no longer exists");
  }
}
