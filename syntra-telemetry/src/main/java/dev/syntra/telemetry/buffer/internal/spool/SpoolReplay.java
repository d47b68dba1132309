package dev.syntra.telemetry.buffer.internal.spool;

import dev.syntra.telemetry.TelemetryChunk;

/** Receives what a spool held when it was opened, oldest first. */
public interface SpoolReplay {
  /** A sealed, unacknowledged batch; called in the order the batches were sealed. */
  void sealed(RecoveredBatch batch);

  /** A chunk that was appended but not yet sealed; called in append order, after every batch. */
  void unsealed(long chunkId, long segment, TelemetryChunk chunk);
}
