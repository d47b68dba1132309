package dev.syntra.server.telemetry;

import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.FrameHeader;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.ServerMessage;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.server.fleet.AgentRef;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent session's way into the {@link TelemetryIngest} (PROTOCOL.md §7.6, §7.7): reads the
 * header of each frame on the caller's thread (cheap), queues it within the agent's and the global
 * bound or answers {@code throttle}, then on an ingest thread answers a known batch id as {@code
 * duplicate}, decodes the rest fully and stores it, and acknowledges {@code stored} only after the
 * commit. One agent's frames are stored in the order they arrived (so cursors follow it), on the
 * shared ingest threads; a lane yields its thread after a few frames so one busy agent cannot
 * starve the others. Acks are coalesced: one {@code telemetry_ack} covers the batches finished
 * while others of the same agent were still waiting. Thread-safe.
 */
public final class IngestLane {
  private static final Logger log = LoggerFactory.getLogger(IngestLane.class);
  private static final int MAX_ACK_ENTRIES = 256;
  private static final int FRAMES_PER_TURN = 16;

  private final TelemetryIngest ingest;
  private final AgentRef agent;
  private final Consumer<ServerMessage> replies;
  private final IngestBudget queued;
  private final AtomicLong lastThrottleNanos = new AtomicLong();
  private final List<TelemetryAck.Entry> pendingAcks = new ArrayList<>();
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;
  private volatile boolean closed;

  IngestLane(TelemetryIngest ingest, AgentRef agent, Consumer<ServerMessage> replies) {
    this.ingest = ingest;
    this.agent = agent;
    this.replies = replies;
    IngestSettings settings = ingest.settings();
    this.queued = new IngestBudget(settings.agentFrames(), settings.agentBytes());
  }

  /** Takes one binary frame as received. Never throws; answers through the replies. */
  public void offer(byte[] frame) {
    TelemetryMetrics metrics = ingest.metrics();
    metrics.frame("received");
    metrics.bytes("received", frame.length);
    FrameHeader header;
    try {
      header = ingest.codec().readHeader(frame);
    } catch (ProtocolException e) {
      reject(batchIdIfReadable(frame), e);
      return;
    }
    if (!queued.tryAcquire(frame.length)) {
      throttle("ingest queue of this agent full");
      return;
    }
    if (!ingest.queued().tryAcquire(frame.length)) {
      queued.release(frame.length);
      throttle("ingest queue full");
      return;
    }
    if (!enqueue(() -> process(header, frame))) {
      release(frame.length);
      throttle("the control plane is stopping");
    }
  }

  /** Queues {@code task} behind this lane's others; false when the ingest is stopping. */
  private boolean enqueue(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (draining) {
        return true;
      }
      draining = true;
    }
    if (ingest.submit(this::drain)) {
      return true;
    }
    synchronized (tasks) {
      tasks.remove(task);
      draining = false;
    }
    return false;
  }

  private void drain() {
    for (int done = 0; done < FRAMES_PER_TURN; done++) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      next.run();
    }
    if (!ingest.submit(this::drain)) {
      synchronized (tasks) {
        draining = false; // stopping: the agent sends what is left again
      }
    }
  }

  /** The session ended: frames still queued are skipped (the agent resends them). */
  public void close() {
    closed = true;
  }

  private void process(FrameHeader header, byte[] frame) {
    TelemetryAck.Entry entry = null;
    try {
      if (!closed) {
        entry = store(header, frame);
      }
    } catch (RuntimeException e) {
      // Not stored and not acknowledged: the agent pauses and sends it again.
      ingest.metrics().frame("failed");
      log.warn(
          "server {}: storing telemetry batch {} failed: {}",
          agent.serverId(),
          header.batchId(),
          e.toString());
      throttle("the control plane could not store telemetry");
    } finally {
      int waiting = release(frame.length);
      acknowledge(entry, waiting == 0);
    }
  }

  private TelemetryAck.Entry store(FrameHeader header, byte[] frame) {
    TelemetryBatches batches = ingest.batches();
    BatchId id = header.batchId();
    if (batches.exists(agent.orgId(), id)) {
      ingest.metrics().frame("duplicate");
      return new TelemetryAck.Entry(id, TelemetryAck.Status.DUPLICATE, null);
    }
    try {
      ingest.codec().decode(frame);
    } catch (ProtocolException e) {
      ingest.metrics().frame("rejected");
      replies.accept(new ProtocolError(e.code().wireName(), e.getMessage(), null));
      return new TelemetryAck.Entry(id, TelemetryAck.Status.REJECTED, e.getMessage());
    }
    if (!batches.insert(agent, header, frame)) {
      ingest.metrics().frame("duplicate");
      return new TelemetryAck.Entry(id, TelemetryAck.Status.DUPLICATE, null);
    }
    ingest.metrics().frame("stored");
    ingest.metrics().bytes("stored", frame.length);
    return new TelemetryAck.Entry(id, TelemetryAck.Status.STORED, null);
  }

  private void acknowledge(TelemetryAck.@Nullable Entry entry, boolean idle) {
    List<TelemetryAck.Entry> due = null;
    synchronized (pendingAcks) {
      if (entry != null) {
        pendingAcks.add(entry);
      }
      if (!pendingAcks.isEmpty() && (idle || pendingAcks.size() >= MAX_ACK_ENTRIES)) {
        due = List.copyOf(pendingAcks);
        pendingAcks.clear();
      }
    }
    if (due != null && !closed) {
      replies.accept(new TelemetryAck(due));
    }
  }

  private int release(long size) {
    ingest.queued().release(size);
    return queued.release(size);
  }

  private void reject(@Nullable BatchId id, ProtocolException e) {
    ingest.metrics().frame("rejected");
    replies.accept(new ProtocolError(e.code().wireName(), e.getMessage(), null));
    if (id != null) {
      replies.accept(
          new TelemetryAck(
              List.of(new TelemetryAck.Entry(id, TelemetryAck.Status.REJECTED, e.getMessage()))));
    }
  }

  /** At most one throttle per pause: the agent stops on the first, the rest would be noise. */
  private void throttle(String reason) {
    ingest.metrics().frame("throttled");
    long pauseNanos = ingest.settings().retryAfter().toNanos();
    long now = System.nanoTime();
    long last = lastThrottleNanos.get();
    if (last != 0 && now - last < pauseNanos) {
      return;
    }
    if (lastThrottleNanos.compareAndSet(last, now)) {
      replies.accept(new Throttle(ingest.settings().retryAfter(), reason));
    }
  }

  /**
   * The batch id of a frame whose header failed a later check (sizes, lengths): enough of it was
   * read to name the batch, so the agent can be told to drop it instead of resending it forever.
   */
  private static @Nullable BatchId batchIdIfReadable(byte[] frame) {
    if (frame.length < FrameHeader.LENGTH) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    if (in.getInt() != FrameHeader.MAGIC
        || Byte.toUnsignedInt(in.get()) != ProtocolVersion.FRAME_VERSION) {
      return null;
    }
    return BatchId.read(ByteBuffer.wrap(frame, 8, 16));
  }
}
