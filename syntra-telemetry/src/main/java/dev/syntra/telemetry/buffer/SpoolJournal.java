package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.buffer.internal.spool.Spool;
import dev.syntra.telemetry.buffer.internal.spool.SpoolReplay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer's side of the spool: applies the fsync policy, and turns write failures after a chunk
 * was accepted into a warning (the frame stays in memory; after a crash it may be resent, which the
 * server deduplicates). Thread-safe like {@link Spool}.
 */
final class SpoolJournal {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolJournal.class);

  private final Spool spool;
  private final FsyncPolicy fsync;
  private volatile Instant lastSync;
  private volatile boolean closed;

  private SpoolJournal(Spool spool, FsyncPolicy fsync, Instant now) {
    this.spool = spool;
    this.fsync = fsync;
    this.lastSync = now;
  }

  static SpoolJournal open(Path dir, long segmentBytes, FsyncPolicy fsync, Clock clock) {
    try {
      Spool spool = Spool.open(dir, segmentBytes, fsync.mode() != FsyncPolicy.Mode.NEVER);
      return new SpoolJournal(spool, fsync, clock.instant());
    } catch (IOException e) {
      throw new UncheckedIOException("telemetry spool " + dir + " cannot be opened: " + e, e);
    }
  }

  long maxChunkId() {
    return spool.maxChunkId();
  }

  void replay(SpoolReplay replay) {
    try {
      spool.replay(replay);
    } catch (IOException e) {
      throw new UncheckedIOException("telemetry spool cannot be replayed: " + e, e);
    }
  }

  static byte[] record(long chunkId, TelemetryChunk chunk) {
    return Spool.chunkRecord(chunkId, chunk);
  }

  /** Appends a chunk record; returns its segment. Throws, so the caller can refuse the chunk. */
  long append(byte[] record) throws IOException {
    return spool.appendRecord(record);
  }

  void pin(long segment) {
    if (segment >= 0) {
      spool.pin(segment);
    }
  }

  void sealed(BatchId batchId, long[] chunkIds) {
    try {
      spool.appendSeal(batchId, chunkIds);
    } catch (IOException e) {
      LOG.warn("telemetry spool: seal record of {} not written: {}", batchId, e.toString());
    }
  }

  /** The batch was acknowledged or evicted: log it and release its segment. */
  void done(BatchId batchId, boolean evicted, long firstSegment) {
    if (closed) {
      return; // resent after a restart and deduplicated by the server
    }
    try {
      spool.appendDone(batchId, evicted);
    } catch (IOException e) {
      LOG.warn("telemetry spool: done record of {} not written: {}", batchId, e.toString());
    }
    if (firstSegment >= 0) {
      spool.unpin(firstSegment);
    }
  }

  /** After an accept or acknowledge: forces with {@link FsyncPolicy#always()}. */
  void written() {
    if (fsync.mode() == FsyncPolicy.Mode.ALWAYS) {
      sync();
    }
  }

  /** On the timer: forces with {@link FsyncPolicy#interval} once the interval has passed. */
  void tick(Instant now) {
    if (fsync.mode() == FsyncPolicy.Mode.INTERVAL
        && !lastSync.plus(fsync.interval()).isAfter(now)) {
      lastSync = now;
      sync();
    }
  }

  private void sync() {
    if (closed) {
      return;
    }
    try {
      spool.sync();
    } catch (IOException e) {
      LOG.warn("telemetry spool fsync failed: {}", e.toString());
    }
  }

  void close() {
    closed = true;
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("telemetry spool did not close cleanly: {}", e.toString());
    }
  }

  long diskBytes() {
    return spool.diskBytes();
  }

  Spool spool() {
    return spool;
  }
}
