package dev.syntra.runtime.docker.internal.logs;

import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LogSubscription} of one {@link LogReader#read} call: the container streams put lines
 * into one bounded queue, and one named thread hands them to the sink, so the sink is never called
 * concurrently and lines of one replica keep their order.
 *
 * <p>Overflow policy: backpressure. When the queue is full, the reading threads wait (the daemon
 * connection then simply reads slower); no line is dropped while the subscription is open. Lines
 * older than {@code since} are filtered out here, because the daemon's {@code since} has whole
 * seconds only. Sink failures are caught, counted and logged (throttled) and never end delivery.
 *
 * <p>Thread-safe. {@link #close()} is idempotent, closes the daemon streams and waits at most
 * {@link #CLOSE_WAIT} for the delivery thread.
 */
final class LogDelivery implements LogSubscription {
  /** Lines buffered between the daemon streams and the sink. */
  static final int QUEUE_CAPACITY = 4096;

  static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(LogDelivery.class);
  private static final AtomicInteger SUBSCRIPTIONS = new AtomicInteger();
  private static final long POLL_MILLIS = 50;
  private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final BlockingQueue<LogLine> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Consumer<LogLine> sink;
  private final @Nullable Instant since;
  private final List<LogStreamCallback> streams = new CopyOnWriteArrayList<>();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong filtered = new AtomicLong();
  private final AtomicLong sinkFailures = new AtomicLong();
  private final AtomicLong streamErrors = new AtomicLong();
  private final Thread thread;
  private volatile long lastFailureLogNanos = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;

  LogDelivery(Consumer<LogLine> sink, @Nullable Instant since) {
    this.sink = sink;
    this.since = since;
    this.thread = new Thread(this::run, "syntra-docker-logs-" + SUBSCRIPTIONS.incrementAndGet());
    this.thread.setDaemon(true);
  }

  /** Adds a stream before {@link #start()}; delivery completes when every stream has ended. */
  void register(LogStreamCallback stream) {
    streams.add(stream);
    openStreams.incrementAndGet();
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a line, waiting while the queue is full. Called by the stream threads.
   *
   * @return false when the subscription was closed meanwhile
   */
  boolean offer(LogLine line) {
    if (since != null && line.at().isBefore(since)) {
      filtered.incrementAndGet();
      return !closed.get();
    }
    try {
      while (!closed.get()) {
        if (queue.offer(line, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** A stream ended (normally or not); called once per registered stream. */
  void streamEnded(String replicaId, @Nullable Throwable failure) {
    if (failure != null && !closed.get()) {
      streamErrors.incrementAndGet();
      log.warn("Log stream of {} failed: {}", replicaId, DockerErrors.daemonMessage(failure));
    }
    openStreams.decrementAndGet();
  }

  boolean isClosed() {
    return closed.get();
  }

  private void run() {
    try {
      while (true) {
        LogLine line = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (line != null) {
          deliver(line);
        } else if (closed.get() || (openStreams.get() == 0 && queue.isEmpty())) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.countDown();
    }
  }

  private void deliver(LogLine line) {
    if (closed.get()) {
      return;
    }
    try {
      sink.accept(line);
      delivered.incrementAndGet();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      long failures = sinkFailures.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastFailureLogNanos >= FAILURE_LOG_INTERVAL_NANOS) {
        lastFailureLogNanos = now;
        log.warn("Log sink failed ({} failures so far); delivery goes on", failures, t);
      }
    }
  }

  @Override
  public boolean awaitCompletion(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (LogStreamCallback stream : streams) {
      stream.close();
    }
    queue.clear();
    if (Thread.currentThread() != thread && thread.isAlive()) {
      try {
        if (!done.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("Log delivery thread {} still busy in the sink after {}", thread, CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lines handed to the sink. */
  long deliveredCount() {
    return delivered.get();
  }

  /** Lines dropped because they are older than {@code since}. */
  long filteredCount() {
    return filtered.get();
  }

  /** Times the sink threw. */
  long sinkFailureCount() {
    return sinkFailures.get();
  }

  /** Container streams that failed (other than by {@link #close()}). */
  long streamErrorCount() {
    return streamErrors.get();
  }

  @Override
  public String toString() {
    return "LogDelivery[thread="
        + thread.getName()
        + ", streams="
        + streams.size()
        + ", open="
        + openStreams.get()
        + ", delivered="
        + delivered.get()
        + ", sinkFailures="
        + sinkFailures.get()
        + ", closed="
        + closed.get()
        + "]";
  }
}
