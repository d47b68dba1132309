package dev.syntra.runtime.docker.internal.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads container logs: one daemon log stream per container ({@code timestamps=1}, follow, tail,
 * since, stdout/stderr as asked), demultiplexed so stdout and stderr stay apart, assembled into
 * {@link LogLine}s whose {@code replicaId} is the container name.
 *
 * <p>Each line carries the daemon's timestamp and no trailing newline; partial lines wait for their
 * newline (or the end of the stream); lines longer than 16 KiB are split. {@link
 * LogOptions#since()} is applied exactly (the daemon only filters by whole seconds). The sink is
 * called on one named thread per read ({@code syntra-docker-logs-N}), never concurrently, in order
 * per replica; what it throws is caught and counted. See {@link LogDelivery} for buffering.
 *
 * <p>Thread-safe and stateless apart from its collaborators; every read owns its own threads, which
 * end with the read.
 */
public final class LogReader {
  private static final Logger log = LoggerFactory.getLogger(LogReader.class);

  private final DockerClient docker;
  private final Clock clock;

  public LogReader(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /**
   * Starts reading the logs of {@code containerIds} (ids or names) into {@code sink} and returns at
   * once. Containers that no longer exist are skipped with a warning.
   *
   * @throws dev.syntra.protocol.runtime.RuntimeAdapterException when the daemon cannot be asked
   */
  public LogSubscription read(
      List<String> containerIds, LogOptions options, Consumer<LogLine> sink) {
    List<Target> targets = resolve(containerIds);
    LogDelivery delivery = new LogDelivery(sink, options.since());
    List<LogStreamCallback> callbacks = new ArrayList<>();
    for (Target target : targets) {
      LogStreamCallback callback =
          new LogStreamCallback(target.name(), target.tty(), delivery, clock);
      delivery.register(callback);
      callbacks.add(callback);
    }
    delivery.start();
    for (int i = 0; i < targets.size(); i++) {
      LogStreamCallback callback = callbacks.get(i);
      try {
        command(targets.get(i).id(), options).exec(callback);
      } catch (RuntimeException e) {
        callback.onError(e);
      }
    }
    return delivery;
  }

  private LogContainerCmd command(String containerId, LogOptions options) {
    LogContainerCmd cmd =
        docker
            .logContainerCmd(containerId)
            .withStdOut(options.stdout())
            .withStdErr(options.stderr())
            .withTimestamps(true)
            .withFollowStream(options.follow());
    Integer tail = options.tail();
    cmd = tail == null ? cmd.withTailAll() : cmd.withTail(tail);
    Instant since = options.since();
    if (since != null) {
      // Whole seconds, rounded down; LogDelivery drops the lines before the exact instant.
      long seconds = Math.max(0, since.getEpochSecond());
      cmd = cmd.withSince((int) Math.min(Integer.MAX_VALUE, seconds));
    }
    return cmd;
  }

  private List<Target> resolve(List<String> containerIds) {
    List<Target> targets = new ArrayList<>();
    for (String id : containerIds) {
      try {
        InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
        String name = inspect.getName() == null ? id : inspect.getName();
        boolean tty =
            inspect.getConfig() != null && Boolean.TRUE.equals(inspect.getConfig().getTty());
        targets.add(new Target(inspect.getId(), Labels.stripSlash(name), tty));
      } catch (NotFoundException e) {
        log.warn("Skipping logs of container {}: it no longer exists", id);
      } catch (RuntimeException e) {
        throw DockerErrors.map(
            e, "read the logs of container " + id, DockerClients.CONFIGURED_DAEMON);
      }
    }
    return targets;
  }

  private record Target(String id, String name, boolean tty) {}

  @Override
  public String toString() {
    return "LogReader[clock=" + clock + "]";
  }
}
