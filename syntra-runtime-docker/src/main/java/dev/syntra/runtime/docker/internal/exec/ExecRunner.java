package dev.syntra.runtime.docker.internal.exec;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command in a container ({@code exec create} + {@code exec start}, no TTY, no stdin) and
 * captures stdout and stderr apart, each bounded to {@link ExecOptions#maxOutputBytes()}.
 *
 * <p><b>Timeouts.</b> The Docker API has no way to kill an exec'd process. When {@link
 * ExecOptions#timeout()} passes, the runner stops waiting, releases the connection and returns exit
 * code -1 with {@code timedOut} set; then it kills the process itself, best effort: {@code exec
 * inspect} gives the process id in the daemon's PID namespace, and when this JVM sees the same
 * {@code /proc} (agent on the Docker host, not in a separate PID namespace) and {@code
 * /proc/<pid>/cgroup} names the container (so a recycled pid is never hit), the process and its
 * descendants get SIGKILL. When the daemon is remote or the agent runs in its own PID namespace
 * this is impossible: the process is left running until it ends by itself, a warning is logged and
 * {@link #unkilledCount()} grows. Running the command under {@code timeout(1)} was rejected because
 * it needs a shell or coreutils in the image and changes argv semantics.
 *
 * <p>A container that is not running gives {@link RuntimeAdapterException.Conflict}; one that no
 * longer exists gives {@link RuntimeErrorCode#SERVICE_NOT_FOUND}. Duration is measured with the
 * injected clock. Thread-safe.
 */
public final class ExecRunner {
  private static final Logger log = LoggerFactory.getLogger(ExecRunner.class);
  private static final long MAX_POLL_MILLIS = 100;

  private final DockerClient docker;
  private final Clock clock;
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong unkilled = new AtomicLong();

  public ExecRunner(DockerClient docker) {
    this(docker, Clock.systemUTC());
  }

  ExecRunner(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /**
   * Runs {@code command} (argv) in {@code containerId} (id or name), bounded by {@code options}.
   */
  public ExecResult run(String containerId, List<String> command, ExecOptions options) {
    if (command.isEmpty()) {
      throw new RuntimeAdapterException.InvalidSpec("command: must name a program to run");
    }
    String what = "run a command in container " + containerId;
    Instant start = clock.instant();
    Instant deadline = start.plus(options.timeout());
    String execId = create(containerId, command, what);
    ExecOutput output = new ExecOutput(options.maxOutputBytes());
    try {
      docker.execStartCmd(execId).withDetach(false).withTty(false).exec(output);
      boolean ended = output.await(Duration.between(clock.instant(), deadline));
      Integer exitCode = ended ? exitCode(execId, deadline, what, output) : null;
      if (exitCode == null) {
        output.close();
        timeouts.incrementAndGet();
        kill(execId, containerId);
        return new ExecResult(
            -1, output.stdout(), output.stderr(), output.truncated(), true, since(start));
      }
      return new ExecResult(
          exitCode, output.stdout(), output.stderr(), output.truncated(), false, since(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      output.close();
      kill(execId, containerId);
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL, "interrupted while trying to " + what, e);
    } catch (RuntimeException e) {
      output.close();
      throw failure(what, e);
    }
  }

  private String create(String containerId, List<String> command, String what) {
    try {
      return docker
          .execCreateCmd(containerId)
          .withCmd(command.toArray(String[]::new))
          .withAttachStdin(false)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .withTty(false)
          .exec()
          .getId();
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private static RuntimeAdapterException failure(String what, Throwable e) {
    if (e instanceof ConflictException) {
      return new RuntimeAdapterException.Conflict(
          "cannot "
              + what
              + ": the container is not running ("
              + DockerErrors.daemonMessage(e)
              + "); start or redeploy the service first",
          e);
    }
    if (e instanceof NotFoundException) {
      return new RuntimeAdapterException(
          RuntimeErrorCode.SERVICE_NOT_FOUND, "cannot " + what + ": it no longer exists", e);
    }
    return DockerErrors.map(e, what, DockerClients.CONFIGURED_DAEMON);
  }

  /**
   * The exit code once {@code exec inspect} reports the process ended, or null if it still runs at
   * {@code deadline} (it may close its output and keep running).
   */
  private @Nullable Integer exitCode(
      String execId, Instant deadline, String what, ExecOutput output) throws InterruptedException {
    Throwable streamFailure = output.failure();
    if (streamFailure != null) {
      throw failure(what, streamFailure);
    }
    long pause = 5;
    while (true) {
      InspectExecResponse inspect = docker.inspectExecCmd(execId).exec();
      if (!Boolean.TRUE.equals(inspect.isRunning())) {
        Long code = inspect.getExitCodeLong();
        return code == null ? -1 : (int) code.longValue();
      }
      if (!clock.instant().isBefore(deadline)) {
        return null;
      }
      TimeUnit.MILLISECONDS.sleep(pause);
      pause = Math.min(MAX_POLL_MILLIS, pause * 2);
    }
  }

  /** Best-effort SIGKILL of a timed-out exec process and its descendants; see the class doc. */
  private void kill(String execId, String containerId) {
    try {
      InspectExecResponse inspect = docker.inspectExecCmd(execId).exec();
      if (!Boolean.TRUE.equals(inspect.isRunning())) {
        return;
      }
      Long pid = inspect.getPidLong();
      String fullId = inspect.getContainerID();
      if (pid == null || pid <= 0 || fullId == null || !inContainer(pid, fullId)) {
        unkilled.incrementAndGet();
        log.warn(
            "A command in container {} timed out; its process cannot be killed from here (remote"
                + " daemon or separate PID namespace) and keeps running until it exits",
            containerId);
        return;
      }
      ProcessHandle.of(pid)
          .ifPresent(process -> {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
          });
      log.info(
          "A command in container {} timed out; killed process {} and its descendants",
          containerId,
          pid);
    } catch (RuntimeException e) {
      unkilled.incrementAndGet();
      log.warn(
          "A command in container {} timed out and its process could not be killed: {}",
          containerId,
          e.toString());
    }
  }

  /** Whether host process {@code pid} runs in the cgroup of {@code containerId}. */
  static boolean inContainer(long pid, String containerId) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).contains(containerId);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private Duration since(Instant start) {
    Duration elapsed = Duration.between(start, clock.instant());
    return elapsed.isNegative() ? Duration.ZERO : elapsed;
  }

  /** Execs that ran into their timeout. */
  public long timeoutCount() {
    return timeouts.get();
  }

  /** Timed-out exec processes that could not be killed and may still run. */
  public long unkilledCount() {
    return unkilled.get();
  }

  @Override
  public String toString() {
    return "ExecRunner[timeouts=" + timeouts.get() + ", unkilled=" + unkilled.get() + "]";
  }
}
