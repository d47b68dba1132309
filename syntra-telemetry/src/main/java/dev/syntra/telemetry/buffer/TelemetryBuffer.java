package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.SignalCounts;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.buffer.internal.OpenBatch;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's byte-bounded telemetry buffer: takes chunks ({@link TelemetryIntake}), batches them
 * (a batch is sealed at {@code batchMaxDelay}, {@code batchMaxItems} or {@code batchMaxBytes},
 * whichever comes first) into protocol telemetry frames with a fresh {@link BatchId}, and keeps the
 * frames until the server acknowledges them ({@link FrameQueue}).
 *
 * <p>Overflow: priority chunks (errors) and other chunks go to separate batches. Above the high
 * watermark (default 90 % of {@code maxBytes}) chunks without priority are refused with a
 * retry-after; a priority chunk that does not fit evicts the oldest frames without priority first,
 * then the oldest priority frames. Every refused or evicted item is counted in {@link
 * #dropCounters()}, and a drop alert fires once when drops cross a threshold.
 *
 * <p>With a spool, every chunk is written ahead to disk before {@code accept} returns, and seals,
 * acknowledgements and evictions are logged; on the next start the buffer rebuilds every
 * unacknowledged frame with its original batch id and reopens the unsealed chunks.
 *
 * <p>Thread-safe. {@code accept} holds the lock only to append; frames are encoded outside it, on
 * the thread that filled the batch (or the timer thread).
 */
public final class TelemetryBuffer implements TelemetryIntake, FrameQueue, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryBuffer.class);

  private final long maxBytes;
  private final long refuseAboveBytes;
  private final long maxChunkBytes;
  private final long spoolDiskLimit;
  private final Duration batchMaxDelay;
  private final int batchMaxItems;
  private final long batchMaxBytes;
  private final int maxFrameBytes;
  private final TelemetryFrameCodec codec;
  private final FsyncPolicy fsync;
  private final Clock clock;
  private final Duration retryAfter;
  private final Duration closeTimeout;
  private final DropCounters drops = new DropCounters();
  private final DropAlarm alarm;
  private final List<Runnable> sealListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong nextChunkId = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final FrameStore frames = new FrameStore();
  private final @Nullable SpoolJournal spool;
  private final @Nullable ScheduledExecutorService ownedExecutor;
  private final BufferTimer.Cancellable tick;

  // Guarded by lock.
  private OpenBatch normal = new OpenBatch(false);
  private OpenBatch priority = new OpenBatch(true);
  private long usedBytes;
  private long nextSequence;
  private long spoolLostChunks;
  private boolean acceptClosed;

  TelemetryBuffer(TelemetryBufferBuilder b) {
    maxBytes = b.maxBytes;
    refuseAboveBytes = (long) (b.maxBytes * b.highWatermark);
    maxChunkBytes = b.maxChunkBytes();
    spoolDiskLimit = 2 * b.maxBytes + b.spoolSegmentBytes;
    batchMaxDelay = b.batchMaxDelay;
    batchMaxItems = b.batchMaxItems;
    batchMaxBytes = b.batchMaxBytes;
    maxFrameBytes = b.maxFrameBytes;
    codec = b.codec;
    fsync = b.fsync;
    clock = b.clock;
    retryAfter = b.retryAfter;
    closeTimeout = b.closeTimeout;
    alarm =
        new DropAlarm(
            b.alertThresholdItems,
            b.alertWindow,
            b.alertQuietPeriod,
            clock,
            b.alertListener,
            drops);
    spool =
        b.spoolDirectory == null
            ? null
            : SpoolJournal.open(b.spoolDirectory, b.spoolSegmentBytes, fsync, clock);
    if (spool != null) {
      replay(spool);
    }
    BufferTimer timer = b.timer;
    if (timer == null) {
      ownedExecutor =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("syntra-telemetry-buffer").daemon().factory());
      timer = BufferTimer.of(ownedExecutor);
    } else {
      ownedExecutor = null;
    }
    tick = timer.repeat(tickPeriod(), this::tick);
  }

  /** A builder with every default (50 MiB, 5 s / 1000 items / 1 MiB batches, no spool). */
  public static TelemetryBufferBuilder builder() {
    return new TelemetryBufferBuilder();
  }

  /**
   * Buffers {@code chunk}. ACCEPTED once it is in an open batch (and written to the spool); REFUSED
   * with a retry-after when the buffer is above its watermark, closed or the spool fails; PARTIAL
   * with every item rejected when the chunk alone exceeds the largest frame. Never throws.
   */
  @Override
  public IntakeResult accept(TelemetryChunk chunk) {
    try {
      return doAccept(chunk);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.warn("telemetry buffer failed to take a chunk", e);
      return refuse(chunk.counts(), DropReason.SPOOL_ERROR, "buffer failure: " + e);
    }
  }

  private IntakeResult doAccept(TelemetryChunk chunk) throws IOException {
    if (chunk.isEmpty()) {
      return IntakeResult.accepted();
    }
    long size = chunk.sizeBytes();
    SignalCounts counts = chunk.counts();
    if (size > maxChunkBytes) {
      alarm.dropped(drops.record(counts, DropReason.TOO_LARGE));
      return IntakeResult.partial(
          counts.total(),
          "a chunk of "
              + size
              + " bytes exceeds the largest telemetry frame ("
              + maxChunkBytes
              + " bytes of data); export smaller batches");
    }
    byte[] record = null;
    long chunkId = 0;
    if (spool != null) {
      chunkId = nextChunkId.incrementAndGet();
      record = SpoolJournal.record(chunkId, chunk);
    }
    OpenBatch full1 = null;
    OpenBatch full2 = null;
    long evicted = 0;
    String refusal = null;
    DropReason reason = DropReason.REFUSED;
    lock.lock();
    try {
      evicted = acceptClosed ? -1 : makeRoom(size, chunk.priority());
      if (evicted < 0) {
        refusal =
            acceptClosed
                ? "the telemetry buffer is closed"
                : "the telemetry buffer is full (" + usedBytes + " of " + maxBytes + " bytes)";
        evicted = 0;
      } else {
        long segment = spool == null || record == null ? -1 : spool.append(record);
        full1 = overflowing(chunk.priority(), size);
        full2 = add(chunk, counts, size, chunkId, segment);
        evicted += trimSpool();
      }
    } catch (IOException e) {
      LOG.warn("telemetry spool write failed: {}", e.toString());
      refusal = "the telemetry spool cannot be written";
      reason = DropReason.SPOOL_ERROR;
    } finally {
      lock.unlock();
    }
    alarm.dropped(evicted);
    if (refusal != null) {
      return refuse(counts, reason, refusal);
    }
    seal(full1);
    seal(full2);
    if (spool != null) {
      spool.written();
    }
    return IntakeResult.accepted();
  }

  /** Evicts for a priority chunk; returns the items evicted, or -1 when the chunk is refused. */
  private long makeRoom(long size, boolean priorityChunk) {
    if (usedBytes + size <= (priorityChunk ? maxBytes : refuseAboveBytes)) {
      return 0;
    }
    // Open batches and batches being sealed cannot be evicted: when the chunk would not fit even
    // with every frame gone, it is refused without evicting anything for nothing.
    if (!priorityChunk || usedBytes - frames.costBytes() + size > maxBytes) {
      return -1;
    }
    long evicted = 0;
    while (usedBytes + size > maxBytes) {
      long items = evictOldest();
      if (items < 0) {
        return -1; // not reached: the frames' cost was checked above
      }
      evicted += items;
    }
    return evicted;
  }

  /**
   * Evicts the oldest frame without priority, else the oldest priority frame; returns its items, or
   * -1 when there is no frame. Caller holds the lock.
   */
  private long evictOldest() {
    FrameStore.Entry victim = frames.pollOldest(false);
    if (victim == null) {
      victim = frames.pollOldest(true);
    }
    return victim == null ? -1 : forget(victim, true);
  }

  /**
   * Keeps the spool's files within {@code 2 × maxBytes} plus one segment: a frame that stays
   * unacknowledged pins its segment and every later one, so past that bound the oldest frames are
   * evicted (whatever their priority) until their segments can go. Caller holds the lock.
   */
  private long trimSpool() {
    long evicted = 0;
    while (spool != null && spool.diskBytes() > spoolDiskLimit) {
      FrameStore.Entry oldest = frames.pollOldestOfAll();
      if (oldest == null) {
        break;
      }
      evicted += forget(oldest, true);
    }
    return evicted;
  }

  /** Detaches the open batch when {@code size} more bytes would overflow it; else null. */
  private @Nullable OpenBatch overflowing(boolean priorityBatch, long size) {
    OpenBatch open = priorityBatch ? priority : normal;
    return !open.isEmpty() && open.bytes() + size > batchMaxBytes ? detach(priorityBatch) : null;
  }

  /** Adds to the open batch; returns the batch when it is now full. Caller holds the lock. */
  private @Nullable OpenBatch add(
      TelemetryChunk chunk, SignalCounts counts, long size, long chunkId, long segment) {
    OpenBatch open = chunk.priority() ? priority : normal;
    if (open.isEmpty() && spool != null) {
      spool.pin(segment);
    }
    open.add(chunk, counts, size, chunkId, segment, clock.instant());
    usedBytes += size;
    return open.items() >= batchMaxItems || open.bytes() >= batchMaxBytes
        ? detach(chunk.priority())
        : null;
  }

  private OpenBatch detach(boolean priorityBatch) {
    OpenBatch open;
    if (priorityBatch) {
      open = priority;
      priority = new OpenBatch(true);
    } else {
      open = normal;
      normal = new OpenBatch(false);
    }
    return open;
  }

  /** Encodes a detached batch (outside the lock) and publishes it under a fresh batch id. */
  private void seal(@Nullable OpenBatch batch) {
    if (batch != null && !batch.isEmpty()) {
      publish(batch, BatchId.random(), true);
    }
  }

  private void publish(OpenBatch batch, BatchId batchId, boolean writeSeal) {
    byte[] bytes;
    try {
      bytes = codec.encode(batch.toFrame(batchId));
      if (bytes.length > maxFrameBytes) {
        throw new IllegalStateException(
            "frame of " + bytes.length + " bytes exceeds maxFrameBytes " + maxFrameBytes);
      }
    } catch (RuntimeException e) {
      LOG.error("telemetry batch {} could not be encoded; dropping it", batchId, e);
      discard(batch, batchId, writeSeal);
      return;
    }
    SealedFrame frame;
    lock.lock();
    try {
      if (spool != null && writeSeal) {
        spool.sealed(batchId, batch.chunkIds());
      }
      long cost = spool != null ? Math.max(bytes.length, batch.bytes()) : bytes.length;
      usedBytes += cost - batch.bytes();
      frame = new SealedFrame(nextSequence++, batchId, bytes, batch.counts(), batch.priority());
      frames.add(new FrameStore.Entry(frame, cost, batch.firstSegment()));
    } finally {
      lock.unlock();
    }
    for (Runnable listener : sealListeners) {
      try {
        listener.run();
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn("onSealed listener failed", e);
      }
    }
  }

  private void discard(OpenBatch batch, BatchId batchId, boolean writeSeal) {
    lock.lock();
    try {
      usedBytes -= batch.bytes();
      if (spool != null) {
        if (writeSeal) {
          spool.sealed(batchId, batch.chunkIds());
        }
        spool.done(batchId, true, batch.firstSegment());
      }
    } finally {
      lock.unlock();
    }
    alarm.dropped(drops.record(batch.counts(), DropReason.TOO_LARGE));
  }

  /** Removes a frame's bookkeeping; returns its items when evicted (counted), else 0. */
  private long forget(FrameStore.Entry entry, boolean evicted) {
    usedBytes -= entry.cost();
    if (spool != null) {
      spool.done(entry.frame().batchId(), evicted, entry.firstSegment());
    }
    return evicted ? drops.record(entry.frame().counts(), DropReason.BUFFER_FULL) : 0;
  }

  private IntakeResult refuse(SignalCounts counts, DropReason reason, String message) {
    alarm.dropped(drops.record(counts, reason));
    return IntakeResult.refused(counts.total(), message + "; retry later", retryAfter);
  }

  @Override
  public List<SealedFrame> framesAfter(long afterSequence, int maxFrames) {
    lock.lock();
    try {
      return frames.after(afterSequence, maxFrames);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void acknowledge(BatchId batchId) {
    lock.lock();
    try {
      FrameStore.Entry entry = frames.remove(batchId);
      if (entry != null) {
        forget(entry, false);
      }
    } finally {
      lock.unlock();
    }
    if (spool != null) {
      spool.written();
    }
  }

  @Override
  public void onSealed(Runnable listener) {
    sealListeners.add(listener);
  }

  /** Items dropped or refused so far, by signal and reason. */
  public DropCounters dropCounters() {
    return drops;
  }

  /** Current fill level and spool state. */
  public BufferStats stats() {
    lock.lock();
    try {
      return new BufferStats(
          usedBytes,
          maxBytes,
          frames.size(),
          spool == null ? 0 : spool.spool().diskBytes(),
          spool == null ? 0 : spool.spool().segmentCount(),
          spool == null ? 0 : spool.spool().truncations(),
          spoolLostChunks,
          spool == null ? 0 : spool.spool().fsyncs());
    } finally {
      lock.unlock();
    }
  }

  /** Seals batches that reached their maximum delay, fsyncs on the interval, re-arms the alarm. */
  private void tick() {
    try {
      Instant now = clock.instant();
      OpenBatch due1 = null;
      OpenBatch due2 = null;
      lock.lock();
      try {
        if (isDue(normal, now)) {
          due1 = detach(false);
        }
        if (isDue(priority, now)) {
          due2 = detach(true);
        }
      } finally {
        lock.unlock();
      }
      seal(due1);
      seal(due2);
      if (spool != null) {
        spool.tick(now);
      }
      alarm.tick();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.warn("telemetry buffer timer task failed", e);
    }
  }

  private boolean isDue(OpenBatch batch, Instant now) {
    return !batch.isEmpty() && !batch.openedAt().plus(batchMaxDelay).isAfter(now);
  }

  private Duration tickPeriod() {
    Duration base = batchMaxDelay;
    if (fsync.mode() == FsyncPolicy.Mode.INTERVAL && fsync.interval().compareTo(base) < 0) {
      base = fsync.interval();
    }
    Duration period = base.dividedBy(5);
    return period.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : period;
  }

  /**
   * Seals the open batches (their frames stay readable through {@link #framesAfter}), forces and
   * closes the spool, and stops the timer, waiting at most the close timeout. Later chunks are
   * refused. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tick.cancel();
    OpenBatch rest1;
    OpenBatch rest2;
    lock.lock();
    try {
      acceptClosed = true;
      rest1 = detach(false);
      rest2 = detach(true);
    } finally {
      lock.unlock();
    }
    seal(rest1);
    seal(rest2);
    if (spool != null) {
      lock.lock();
      try {
        spool.close();
      } finally {
        lock.unlock();
      }
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        if (!ownedExecutor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("telemetry buffer timer did not stop within {}", closeTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Rebuilds the spooled frames and open batches, then evicts (oldest without priority first) when
   * they exceed the bound, which happens only when {@code maxBytes} was lowered.
   */
  private void replay(SpoolJournal opened) {
    nextChunkId.set(opened.maxChunkId());
    opened.replay(new SpoolRecovery(this, opened, clock));
    long evicted = 0;
    lock.lock();
    try {
      while (usedBytes > maxBytes) {
        long items = evictOldest();
        if (items < 0) {
          break;
        }
        evicted += items;
      }
    } finally {
      lock.unlock();
    }
    alarm.dropped(evicted);
    if (opened.spool().truncations() > 0 || spoolLostChunks > 0) {
      LOG.warn(
          "telemetry spool: {} damaged segment(s) truncated, {} spooled chunk(s) lost",
          opened.spool().truncations(),
          spoolLostChunks);
    }
  }

  /** Replay: a frame sealed before the restart, rebuilt with its batch id. */
  void restoreFrame(OpenBatch batch, BatchId batchId, int missingChunks) {
    spoolLostChunks += missingChunks;
    usedBytes += batch.bytes();
    publish(batch, batchId, false);
  }

  /** Replay: a chunk that was not sealed before the restart, back into an open batch. */
  void restoreChunk(long chunkId, long segment, TelemetryChunk chunk) {
    long size = chunk.sizeBytes();
    seal(overflowing(chunk.priority(), size));
    seal(add(chunk, chunk.counts(), size, chunkId, segment));
  }

  void countLostChunks(int missingChunks) {
    spoolLostChunks += missingChunks;
  }
}
