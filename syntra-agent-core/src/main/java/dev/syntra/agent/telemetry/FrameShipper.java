package dev.syntra.agent.telemetry;

import dev.syntra.agent.link.Session;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.telemetry.buffer.FrameQueue;
import dev.syntra.telemetry.buffer.SealedFrame;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the buffer's sealed telemetry frames to the control plane and forgets them once it
 * acknowledges them (PROTOCOL.md §7.7).
 *
 * <p>While a session is open it sends unacknowledged frames oldest first, as binary WebSocket
 * messages, keeping at most {@link ShipperSettings#maxInFlightFrames()} frames and {@link
 * ShipperSettings#maxInFlightBytes()} bytes sent but unacknowledged, and only while the connection
 * is writable: a slow control plane makes it wait, never queue data in the connection. A {@code
 * telemetry_ack} acknowledges each batch in the {@link FrameQueue} (stored, duplicate or rejected)
 * and frees room for more; a {@code throttle} pauses sending for its {@code retry_after} (plus
 * jitter, capped), then everything still unacknowledged is sent again. When the session closes, the
 * in-flight state is forgotten: after the next {@code hello_ok} every unacknowledged frame is sent
 * again from the oldest (the control plane drops duplicates by batch id).
 *
 * <p>Thread-safe: the link's callbacks ({@link #sessionOpened}, {@link #acknowledged}, {@link
 * #throttled}, {@link #sessionClosed}) only enqueue work for the shipper's own thread ({@code
 * syntra-frame-shipper}), which is the only one calling the queue's {@code framesAfter} (it may
 * read a spool from disk) and sending. {@link #close()} stops that thread; frames not acknowledged
 * stay in the queue.
 */
public final class FrameShipper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrameShipper.class);

  private final FrameQueue queue;
  private final ShipperSettings settings;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("syntra-frame-shipper").daemon(true).factory());
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private final ShipperCounters counters = new ShipperCounters();

  // Confined to the shipper thread.
  private @Nullable Session session;
  private long cursor = -1;
  private long highestSent = -1;
  private final Map<BatchId, Integer> inFlight = new LinkedHashMap<>();
  private long inFlightBytes;
  private @Nullable ScheduledFuture<?> pause;
  private volatile boolean paused;
  private long lastRejectedLogNanos;
  private long rejectedSinceLog;

  /**
   * A shipper for the frames of {@code queue}. It registers itself with {@link
   * FrameQueue#onSealed}, so new frames go out as soon as a session is open.
   */
  public FrameShipper(FrameQueue queue, ShipperSettings settings) {
    this.queue = queue;
    this.settings = settings;
    queue.onSealed(this::wake);
  }

  /** {@code hello_ok} arrived: start sending every unacknowledged frame, oldest first. */
  public void sessionOpened(Session opened) {
    opened.onWritable(this::wake);
    run(() -> {
      session = opened;
      forgetInFlight();
      cancelPause();
      pump();
    });
  }

  /** The session ended: forget what was in flight; it is all sent again on the next session. */
  public void sessionClosed(Session closed) {
    run(() -> {
      if (session == closed) {
        session = null;
        forgetInFlight();
        cancelPause();
      }
    });
  }

  /** {@code telemetry_ack} arrived: forget the acknowledged batches and send more. */
  public void acknowledged(TelemetryAck ack) {
    run(() -> {
      for (TelemetryAck.Entry entry : ack.entries()) {
        acknowledge(entry);
      }
      pump();
    });
  }

  /**
   * {@code throttle} arrived: stop sending for its {@code retry_after} (plus up to {@link
   * ShipperSettings#throttleJitter()} of it, capped at {@link ShipperSettings#maxThrottlePause()}),
   * then send every unacknowledged frame again, oldest first.
   */
  public void throttled(Throttle throttle) {
    counters.throttled();
    run(() -> {
      Session current = session;
      if (current == null) {
        return;
      }
      Duration pauseFor = pauseFor(throttle.retryAfter());
      log.info(
          "The control plane throttles telemetry ({}); pausing frames for {} ms",
          throttle.reason(),
          pauseFor.toMillis());
      cancelPause();
      // The control plane did not take the frame that caused this and cannot say which others it
      // dropped: after the pause everything unacknowledged goes again (duplicates are dropped).
      forgetInFlight();
      paused = true;
      pause =
          thread.schedule(
              () -> {
                pause = null;
                paused = false;
                pump();
              },
              pauseFor.toMillis(),
              TimeUnit.MILLISECONDS);
    });
  }

  /** Whether a {@code throttle} pause is running now. */
  public boolean paused() {
    return paused;
  }

  /** A snapshot of the counters. */
  public ShipperStats stats() {
    return counters.snapshot();
  }

  /** Stops the shipper's thread (bounded wait). Unacknowledged frames stay in the queue. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Duration pauseFor(Duration retryAfter) {
    double jitter = settings.throttleJitter() * ThreadLocalRandom.current().nextDouble();
    long millis = retryAfter.toMillis() + (long) (retryAfter.toMillis() * jitter);
    return Duration.ofMillis(Math.min(millis, settings.maxThrottlePause().toMillis()));
  }

  /** Schedules a send pass, at most one queued at a time (frames may be sealed very often). */
  private void wake() {
    if (pumpQueued.compareAndSet(false, true)) {
      run(() -> {
        pumpQueued.set(false);
        pump();
      });
    }
  }

  private void run(Runnable task) {
    try {
      thread.execute(() -> {
        try {
          task.run();
        } catch (VirtualMachineError e) {
          throw e;
        } catch (Throwable t) {
          log.warn("Telemetry shipping failed: {}", t.toString(), t);
        }
      });
    } catch (RejectedExecutionException closed) {
      // closed: nothing more is sent; the queue keeps the frames
    }
  }

  /** Sends unacknowledged frames after the cursor while the window and the connection allow. */
  private void pump() {
    Session current = session;
    while (current != null && current.isOpen() && pause == null && current.isWritable()) {
      int room = settings.maxInFlightFrames() - inFlight.size();
      if (room <= 0 || inFlightBytes >= settings.maxInFlightBytes()) {
        return;
      }
      List<SealedFrame> frames = queue.framesAfter(cursor, room);
      if (frames.isEmpty()) {
        return;
      }
      for (SealedFrame frame : frames) {
        if (!send(current, frame)) {
          return;
        }
      }
    }
  }

  /** Sends one frame; false when the window is full or the connection is gone (not sent). */
  private boolean send(Session current, SealedFrame frame) {
    int size = frame.bytes().length;
    if (inFlight.containsKey(frame.batchId())) {
      cursor = frame.sequence(); // still awaiting its ack from before a cursor reset
      return true;
    }
    if (!inFlight.isEmpty() && inFlightBytes + size > settings.maxInFlightBytes()) {
      return false;
    }
    if (size > current.maxFrameBytes()) {
      counters.oversized();
      log.error(
          "Dropping telemetry batch {}: its frame is {} bytes, more than the {}-byte limit of the"
              + " control plane",
          frame.batchId(),
          size,
          current.maxFrameBytes());
      queue.acknowledge(frame.batchId());
      cursor = frame.sequence();
      return true;
    }
    if (!current.sendBinary(frame.bytes())) {
      return false;
    }
    cursor = frame.sequence();
    inFlight.put(frame.batchId(), size);
    inFlightBytes += size;
    counters.sent(size, frame.sequence() <= highestSent, inFlight.size(), inFlightBytes);
    highestSent = Math.max(highestSent, frame.sequence());
    return current.isWritable();
  }

  private void acknowledge(TelemetryAck.Entry entry) {
    queue.acknowledge(entry.batchId());
    Integer size = inFlight.remove(entry.batchId());
    if (size != null) {
      inFlightBytes -= size;
    }
    counters.acked(entry.status(), inFlight.size(), inFlightBytes);
    if (entry.status() == TelemetryAck.Status.REJECTED) {
      logRejected(entry);
    }
  }

  private void logRejected(TelemetryAck.Entry entry) {
    rejectedSinceLog++;
    long now = System.nanoTime();
    if (lastRejectedLogNanos != 0
        && now - lastRejectedLogNanos < settings.rejectedLogInterval().toNanos()) {
      return;
    }
    log.warn(
        "The control plane rejected telemetry batch {} for good: {} ({} rejected since the last"
            + " report; they are dropped)",
        entry.batchId(),
        entry.reason() == null ? "no reason given" : entry.reason(),
        rejectedSinceLog);
    lastRejectedLogNanos = now;
    rejectedSinceLog = 0;
  }

  private void forgetInFlight() {
    inFlight.clear();
    inFlightBytes = 0;
    cursor = -1;
    counters.inFlight(0, 0);
  }

  private void cancelPause() {
    ScheduledFuture<?> current = pause;
    if (current != null) {
      current.cancel(false);
      pause = null;
      paused = false;
    }
  }

  @Override
  public String toString() {
    return "FrameShipper[" + settings + "]";
  }
}
