package dev.syntra.runtime.docker.internal.events;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.syntra.protocol.runtime.RuntimeEvent;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@link EventWatcher#watch}: a named thread that keeps a daemon event stream open
 * (container events of {@code syntra.managed=true} containers), classifies the events with an
 * {@link EventClassifier} and hands alerts to the sink.
 *
 * <p>When the stream breaks (daemon restart, connection loss) the thread reconnects after a backoff
 * that starts at {@code initialBackoff}, doubles up to {@code maxBackoff} and varies by ±20%
 * (jitter); a connection the daemon accepted resets it. It resumes with {@code since} = the time of
 * the last event received (or the watch's start), and events seen twice at that boundary are
 * dropped, so nothing the daemon still has is lost. The daemon keeps only its last 256 events in
 * memory and forgets them when it restarts: events older than that cannot be replayed.
 *
 * <p>Bounded: {@link #QUEUE_CAPACITY} events between the stream and the sink; beyond that new
 * events are dropped and counted. Sink failures are caught and counted. {@link #close()} is
 * idempotent and waits at most {@link #CLOSE_WAIT}.
 */
final class EventSubscription implements AutoCloseable {
  static final int QUEUE_CAPACITY = 1024;
  static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);
  private static final AtomicInteger WATCHES = new AtomicInteger();
  private static final int SEEN_CAPACITY = 512;
  private static final long POLL_MILLIS = 100;

  private final DockerClient docker;
  private final Consumer<RuntimeEvent> sink;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final EventClassifier classifier = new EventClassifier();
  private final Map<String, Boolean> seen = seenSet();
  private final AtomicLong resumeNanos;
  private final CountDownLatch closeSignal = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sinkFailures = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final Thread thread;
  private volatile @Nullable Connection current;

  EventSubscription(
      DockerClient docker,
      Instant start,
      Consumer<RuntimeEvent> sink,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.docker = docker;
    this.sink = sink;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.resumeNanos = new AtomicLong(toNanos(start));
    this.thread = new Thread(this::run, "syntra-docker-events-" + WATCHES.incrementAndGet());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Duration backoff = initialBackoff;
    try {
      while (!closed.get()) {
        Connection connection = connect();
        pump(connection);
        connection.close();
        if (closed.get()) {
          return;
        }
        if (connection.started) {
          backoff = initialBackoff;
        }
        Duration delay = jitter(backoff);
        logReconnect(connection, reconnects.incrementAndGet(), delay);
        if (closeSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        backoff = min(backoff.multipliedBy(2), maxBackoff);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Connection c = current;
      if (c != null) {
        c.close();
      }
      stopped.countDown();
    }
  }

  private static void logReconnect(Connection connection, long attempt, Duration delay) {
    String why =
        connection.failure != null
            ? connection.failure
            : connection.closedByUs.get() ? "dropped locally" : "the daemon closed it";
    if (attempt == 1 || attempt % 20 == 0) {
      log.warn(
          "Docker event stream ended ({}); reconnecting in {} ms (attempt {})",
          why,
          delay.toMillis(),
          attempt);
    } else {
      log.debug("Docker event stream ended ({}); reconnecting in {} ms", why, delay.toMillis());
    }
  }

  private Connection connect() {
    Connection connection = new Connection();
    current = connection;
    try {
      docker
          .eventsCmd()
          .withSince(sinceText(resumeNanos.get()))
          .withEventTypeFilter(EventType.CONTAINER)
          .withLabelFilter(Map.of(Labels.MANAGED, "true"))
          .exec(connection);
    } catch (RuntimeException e) {
      connection.onError(e);
    }
    if (closed.get()) {
      connection.close();
    }
    return connection;
  }

  /** Handles events until {@code connection} ended and its events are handled, or close. */
  private void pump(Connection connection) throws InterruptedException {
    while (!closed.get()) {
      Event event = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (event != null) {
        handle(event);
      } else if (connection.ended) {
        return;
      }
    }
  }

  private void handle(Event event) {
    String key =
        event.getTimeNano()
            + "/"
            + (event.getActor() == null ? event.getId() : event.getActor().getId())
            + "/"
            + EventClassifier.action(event);
    if (seen.put(key, Boolean.TRUE) != null) {
      return;
    }
    Optional<RuntimeEvent> alert = classifier.classify(event);
    if (alert.isEmpty() || closed.get()) {
      return;
    }
    try {
      sink.accept(alert.get());
      delivered.incrementAndGet();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      long failures = sinkFailures.incrementAndGet();
      if (failures == 1 || failures % 100 == 0) {
        log.warn("Runtime event sink failed ({} failures so far); watching goes on", failures, t);
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeSignal.countDown();
    Connection c = current;
    if (c != null) {
      c.close();
    }
    if (Thread.currentThread() != thread && thread.isAlive()) {
      try {
        if (!stopped.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("Event watcher thread {} still busy in the sink after {}", thread, CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the current daemon stream as if the connection broke; for tests. */
  void dropConnection() {
    Connection c = current;
    if (c != null) {
      c.close();
    }
  }

  /** Whether the watch thread still runs. */
  boolean running() {
    return thread.isAlive();
  }

  long deliveredCount() {
    return delivered.get();
  }

  long droppedCount() {
    return dropped.get();
  }

  long sinkFailureCount() {
    return sinkFailures.get();
  }

  long reconnectCount() {
    return reconnects.get();
  }

  /** The daemon's {@code since}: seconds with a nanosecond fraction. */
  static String sinceText(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
    return seconds + "." + String.format("%09d", nanos);
  }

  private static long toNanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  static Duration jitter(Duration base) {
    double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Map<String, Boolean> seenSet() {
    return new LinkedHashMap<>(SEEN_CAPACITY * 2, 0.75f) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > SEEN_CAPACITY;
      }
    };
  }

  @Override
  public String toString() {
    return "EventSubscription[thread="
        + thread.getName()
        + ", delivered="
        + delivered.get()
        + ", dropped="
        + dropped.get()
        + ", reconnects="
        + reconnects.get()
        + ", closed="
        + closed.get()
        + "]";
  }

  /** One daemon event stream; docker-java calls it on its own stream thread. */
  private final class Connection implements ResultCallback<Event> {
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private volatile @Nullable Closeable stream;
    volatile boolean started;
    volatile boolean ended;
    volatile @Nullable String failure;

    @Override
    public void onStart(Closeable stream) {
      this.stream = stream;
      this.started = true;
      if (closedByUs.get()) {
        closeQuietly(stream);
      }
    }

    @Override
    public void onNext(Event event) {
      if (closedByUs.get() || event == null) {
        return;
      }
      Long nanos = event.getTimeNano();
      if (nanos != null) {
        resumeNanos.accumulateAndGet(nanos, Math::max);
      }
      if (!queue.offer(event)) {
        long count = dropped.incrementAndGet();
        if (count == 1 || count % 100 == 0) {
          log.warn(
              "Runtime event queue full ({}); {} events dropped so far", QUEUE_CAPACITY, count);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (failure == null && !closedByUs.get()) {
        failure = DockerErrors.daemonMessage(throwable);
      }
      ended = true;
      closeStream();
    }

    @Override
    public void onComplete() {
      ended = true;
      closeStream();
    }

    @Override
    public void close() {
      closedByUs.set(true);
      ended = true;
      closeStream();
    }

    private void closeStream() {
      Closeable s = stream;
      if (s != null) {
        closeQuietly(s);
      }
    }

    private void closeQuietly(Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        // The stream is being replaced or shut down.
      }
    }
  }
}
