package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A runtime whose containers' logs are an in-memory list: a log read replays the retained lines at
 * or after {@code since} (as Docker does, exactly) and then follows new ones on its own thread,
 * until closed or {@link #endStreams()}.
 */
final class FakeLogRuntime implements RuntimeAdapter {
  final List<LogLine> retained = new CopyOnWriteArrayList<>();
  final Set<String> replicas = new CopyOnWriteArraySet<>(Set.of("web-1"));
  final List<LogOptions> reads = new CopyOnWriteArrayList<>();
  final List<ContainerMetrics> metrics = new CopyOnWriteArrayList<>();
  private final List<Read> open = new CopyOnWriteArrayList<>();

  void write(String replica, LogLine.Stream stream, Instant at, String text) {
    retained.add(new LogLine(at, stream, replica, text));
    synchronized (this) {
      notifyAll();
    }
  }

  /** Every open read ends, as when containers stop. */
  void endStreams() {
    for (Read read : open) {
      read.ended = true;
    }
    synchronized (this) {
      notifyAll();
    }
  }

  private final class Read implements LogSubscription {
    final CountDownLatch done = new CountDownLatch(1);
    volatile boolean closed;
    volatile boolean ended;

    void run(LogOptions options, Consumer<LogLine> sink) {
      try {
        int index = 0;
        while (!closed) {
          if (index < retained.size()) {
            LogLine line = retained.get(index++);
            if ((options.since() == null || !line.at().isBefore(options.since()))
                && replicas.contains(line.replicaId())) {
              sink.accept(line);
            }
            continue;
          }
          if (ended) {
            return;
          }
          synchronized (FakeLogRuntime.this) {
            if (index >= retained.size() && !ended && !closed) {
              FakeLogRuntime.this.wait(20);
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        open.remove(this);
        done.countDown();
      }
    }

    @Override
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      closed = true;
      try {
        done.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public LogSubscription logs(ServiceRef service, LogOptions options, Consumer<LogLine> sink) {
    reads.add(options);
    Read read = new Read();
    open.add(read);
    Thread thread = new Thread(() -> read.run(options, sink), "fake-logs");
    thread.setDaemon(true);
    thread.start();
    return read;
  }

  @Override
  public ServiceStatus status(ServiceRef service) {
    List<ReplicaStatus> list = new ArrayList<>();
    for (String id : replicas) {
      list.add(
          new ReplicaStatus(
              id,
              "d-1",
              ReplicaStatus.State.RUNNING,
              ReplicaStatus.Health.HEALTHY,
              0,
              null,
              null,
              null));
    }
    return new ServiceStatus(service, ServiceStatus.State.RUNNING, "d-1", list.size(), list, null);
  }

  @Override
  public List<ContainerMetrics> metrics(ServiceRef service) {
    return List.copyOf(metrics);
  }

  @Override
  public String runtimeName() {
    return "fake";
  }

  @Override
  public DeployResult deploy(DeploySpec spec, DeployListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stop(ServiceRef service) {}

  @Override
  public void scale(ServiceRef service, int replicas) {}

  @Override
  public void restart(ServiceRef service) {}

  @Override
  public ExecResult exec(ServiceRef service, List<String> command, ExecOptions options) {
    throw new UnsupportedOperationException();
  }

  @Override
  public DeployResult rollback(
      ServiceRef service, String target, String deploymentId, DeployListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
