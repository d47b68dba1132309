package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.ServiceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the logs of one service: one runtime log subscription over its running replicas ({@code
 * follow=true}, {@code since} = the oldest remembered position), lines filtered against what was
 * already taken (so a resubscription or an agent restart neither repeats nor skips a line), joined
 * into records per replica and stream, and queued (bounded) for the collector's scheduler, which
 * hands them to the pipeline and then commits their positions.
 *
 * <p>Threads: lines arrive on the runtime's delivery thread ({@link #onLine}); {@link #tick} and
 * {@link #drain} run on the collector's scheduler. The joiners and filter state are guarded by one
 * lock; the queue is drained without it so a reader waiting for room never blocks the drain.
 */
final class ServiceLogTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceLogTail.class);

  private final ServiceRef service;
  private final RuntimeAdapter adapter;
  private final LogPositions positions;
  private final LogSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, StreamState> streams = new HashMap<>();
  private final BlockingQueue<LogDraft> queue;
  private final AtomicLong droppedRecords = new AtomicLong();
  private volatile boolean closed;
  private volatile long generation;
  private @Nullable LogSubscription subscription;
  private Set<String> followed = Set.of();
  private long nextAttemptNanos;
  private long nextReplicaCheckNanos;
  private long backoffNanos;

  /** Filter and joining state of one replica's output stream. */
  private static final class StreamState {
    @Nullable LogPosition seen;
    int skipRemaining;
    final MultilineJoiner joiner;

    StreamState(@Nullable LogPosition seen, MultilineJoiner joiner) {
      this.seen = seen;
      this.joiner = joiner;
    }
  }

  ServiceLogTail(
      ServiceRef service, RuntimeAdapter adapter, LogPositions positions, LogSettings settings) {
    this.service = service;
    this.adapter = adapter;
    this.positions = positions;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueRecords());
    this.backoffNanos = settings.backoffInitial().toNanos();
    this.nextAttemptNanos = System.nanoTime();
  }

  ServiceRef service() {
    return service;
  }

  long droppedRecords() {
    return droppedRecords.get();
  }

  /** Resubscribes when needed and closes idle records; scheduler thread. */
  void tick(long nowNanos) {
    LogSubscription current = subscription;
    if (current != null && completed(current)) {
      current.close();
      subscription = null;
      retryLater(nowNanos);
    }
    if (subscription == null && nowNanos - nextAttemptNanos >= 0) {
      subscribe(nowNanos, runningReplicas());
    } else if (subscription != null && nowNanos - nextReplicaCheckNanos >= 0) {
      nextReplicaCheckNanos = nowNanos + settings.replicaCheckInterval().toNanos();
      Optional<Set<String>> replicas = runningReplicas();
      if (replicas.isPresent() && !replicas.get().equals(followed)) {
        closeSubscription();
        subscribe(nowNanos, replicas);
      }
    }
    flushIdle(nowNanos);
  }

  /** Up to {@code max} queued records, oldest first. */
  List<LogDraft> drain(int max) {
    List<LogDraft> out = new ArrayList<>(Math.min(max, queue.size()));
    queue.drainTo(out, max);
    return out;
  }

  private Optional<Set<String>> runningReplicas() {
    try {
      Set<String> ids = new TreeSet<>();
      for (ReplicaStatus replica : adapter.status(service).replicas()) {
        if (replica.state() == ReplicaStatus.State.RUNNING
            || replica.state() == ReplicaStatus.State.STARTING
            || replica.state() == ReplicaStatus.State.RESTARTING) {
          ids.add(replica.id());
        }
      }
      return Optional.of(ids);
    } catch (RuntimeException e) {
      log.debug("Cannot list the replicas of {}: {}", service, e.toString());
      return Optional.empty();
    }
  }

  private void subscribe(long nowNanos, Optional<Set<String>> replicas) {
    nextReplicaCheckNanos = nowNanos + settings.replicaCheckInterval().toNanos();
    if (replicas.isEmpty() || replicas.get().isEmpty()) {
      nextAttemptNanos = nowNanos + settings.replicaCheckInterval().toNanos();
      return;
    }
    long gen;
    Instant since;
    lock.lock();
    try {
      gen = ++generation;
      since = prepare(replicas.get());
    } finally {
      lock.unlock();
    }
    try {
      LogOptions options = new LogOptions(true, since, null, true, true);
      subscription = adapter.logs(service, options, line -> onLine(line, gen));
      followed = replicas.get();
      log.debug("Following logs of {} ({}) since {}", service, followed, since);
    } catch (RuntimeException e) {
      log.warn("Cannot follow the logs of {}: {}", service, e.getMessage());
      retryLater(nowNanos);
    }
  }

  /**
   * Resets the filter for a new read: each stream skips the lines at its last seen instant it
   * already took. Returns the {@code since} covering every replica, or null (read everything) when
   * a replica has no position yet.
   */
  private @Nullable Instant prepare(Set<String> replicas) {
    Instant since = null;
    for (String replica : replicas) {
      Instant replicaSince = null;
      for (LogLine.Stream stream : LogLine.Stream.values()) {
        StreamState state = state(replica, stream);
        LogPosition seen = state.seen;
        state.skipRemaining = seen == null ? 0 : seen.countAtInstant();
        if (seen != null && (replicaSince == null || seen.at().isBefore(replicaSince))) {
          replicaSince = seen.at();
        }
      }
      if (replicaSince == null) {
        return null;
      }
      since = since == null || replicaSince.isBefore(since) ? replicaSince : since;
    }
    return since;
  }

  private StreamState state(String replica, LogLine.Stream stream) {
    String key = LogPosition.key(replica, stream);
    return streams.computeIfAbsent(
        key,
        k ->
            new StreamState(
                positions.get(k).orElse(null),
                new MultilineJoiner(
                    replica, stream, settings.maxRecordLines(), settings.maxRecordBytes())));
  }

  /** The runtime's sink: filters, joins and queues; the delivery thread. */
  void onLine(LogLine line, long gen) {
    LogDraft done = null;
    lock.lock();
    try {
      if (gen != generation || closed) {
        return; // a line of a subscription being replaced
      }
      StreamState state = state(line.replicaId(), line.stream());
      LogPosition position = take(state, line.at());
      if (position == null) {
        return;
      }
      backoffNanos = settings.backoffInitial().toNanos();
      done = state.joiner.offer(line, position, System.nanoTime());
      if (done != null) {
        enqueue(done);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The position of a line when it is new, or null when it was taken before. */
  private static @Nullable LogPosition take(StreamState state, Instant at) {
    LogPosition seen = state.seen;
    if (seen != null) {
      int order = at.compareTo(seen.at());
      if (order < 0) {
        return null;
      }
      if (order == 0) {
        if (state.skipRemaining > 0) {
          state.skipRemaining--;
          return null;
        }
        state.seen = new LogPosition(at, seen.countAtInstant() + 1);
        return state.seen;
      }
    }
    state.skipRemaining = 0;
    state.seen = new LogPosition(at, 1);
    return state.seen;
  }

  /** Waits (in slices, so closing is not held up) for room, then drops and counts. */
  private void enqueue(LogDraft draft) {
    long deadline = System.nanoTime() + settings.offerTimeout().toNanos();
    try {
      while (!closed) {
        if (queue.offer(draft, 50, TimeUnit.MILLISECONDS)) {
          return;
        }
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!closed) {
      droppedRecords.incrementAndGet();
      positions.commit(draft.key(), draft.last()); // counted as lost, not read again
    }
  }

  private void flushIdle(long nowNanos) {
    if (!lock.tryLock()) {
      return; // the reader is busy with this service: nothing is idle
    }
    try {
      long timeout = settings.flushTimeout().toNanos();
      long now = System.nanoTime();
      for (StreamState state : streams.values()) {
        if (queue.remainingCapacity() == 0) {
          return;
        }
        LogDraft draft = state.joiner.flushIfIdle(now, timeout);
        if (draft != null) {
          queue.add(draft);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void retryLater(long nowNanos) {
    nextAttemptNanos = nowNanos + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, settings.backoffMax().toNanos());
  }

  private static boolean completed(LogSubscription subscription) {
    try {
      return subscription.awaitCompletion(java.time.Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void closeSubscription() {
    LogSubscription current = subscription;
    subscription = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Stops following. Records still being joined are not handed on and their positions not
   * committed, so the next agent reads them again: nothing is lost or repeated.
   */
  @Override
  public void close() {
    closed = true;
    closeSubscription();
  }

  @Override
  public String toString() {
    return "ServiceLogTail["
        + service
        + ", replicas="
        + followed
        + ", queued="
        + queue.size()
        + "]";
  }
}
