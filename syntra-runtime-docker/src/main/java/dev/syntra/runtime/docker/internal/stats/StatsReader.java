package dev.syntra.runtime.docker.internal.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Statistics;
import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Takes one resource sample of a container, like {@code docker stats --no-stream}: the daemon
 * (asked with {@code stream=false}) waits for a second reading so the CPU delta is meaningful,
 * which makes a sample take about one to two seconds. CPU, memory, network and block I/O are
 * computed by {@link StatsCalculator}; the memory limit is reported as 0 when the container has
 * none ({@code HostConfig.Memory == 0}, where the daemon would report the host's memory).
 *
 * <p>Thread-safe; blocks the caller at most {@link #SAMPLE_TIMEOUT} per sample.
 */
public final class StatsReader {
  /** Longest wait for the daemon's sample. */
  static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final Clock clock;

  public StatsReader(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /**
   * One sample of {@code containerId}, reported under {@code replicaName}.
   *
   * @throws RuntimeAdapterException when the container is gone, the daemon cannot be reached or
   *     does not answer within {@link #SAMPLE_TIMEOUT}
   */
  public ContainerMetrics sample(String containerId, String replicaName) {
    String what = "read the stats of container " + replicaName;
    boolean unlimited;
    try {
      InspectContainerResponse inspect = docker.inspectContainerCmd(containerId).exec();
      Long memory = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getMemory();
      unlimited = memory == null || memory == 0;
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
    Statistics stats = read(containerId, what);
    return StatsCalculator.metrics(stats, replicaName, clock.instant(), unlimited);
  }

  private Statistics read(String containerId, String what) {
    FirstSample callback = new FirstSample();
    try {
      docker.statsCmd(containerId).withNoStream(true).exec(callback);
      return callback.result.get(SAMPLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(what, e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      throw new RuntimeAdapterException.Timeout(
          "cannot " + what + ": the Docker daemon sent no sample within " + SAMPLE_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeAdapterException.Timeout("interrupted while trying to " + what);
    } catch (RuntimeException e) {
      throw failure(what, e);
    } finally {
      callback.close();
    }
  }

  private static RuntimeAdapterException failure(String what, Throwable e) {
    if (e instanceof NotFoundException) {
      return new RuntimeAdapterException(
          RuntimeErrorCode.SERVICE_NOT_FOUND, "cannot " + what + ": it no longer exists", e);
    }
    return DockerErrors.map(e, what, DockerClients.CONFIGURED_DAEMON);
  }

  /** Completes with the first sample and closes the stream. */
  private static final class FirstSample implements ResultCallback<Statistics> {
    final CompletableFuture<Statistics> result = new CompletableFuture<>();
    private volatile @Nullable Closeable stream;

    @Override
    public void onStart(Closeable stream) {
      this.stream = stream;
      if (result.isDone()) {
        close();
      }
    }

    @Override
    public void onNext(Statistics stats) {
      result.complete(stats);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(
          new IllegalStateException("the stats stream ended without a sample"));
    }

    @Override
    public void close() {
      result.cancel(false);
      Closeable s = stream;
      if (s != null) {
        try {
          s.close();
        } catch (IOException | RuntimeException e) {
          // The sample is taken or abandoned; the connection is discarded.
        }
      }
    }
  }

  @Override
  public String toString() {
    return "StatsReader[clock=" + clock + "]";
  }
}
