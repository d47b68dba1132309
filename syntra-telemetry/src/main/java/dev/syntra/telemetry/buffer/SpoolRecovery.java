package dev.syntra.telemetry.buffer;

import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.buffer.internal.OpenBatch;
import dev.syntra.telemetry.buffer.internal.spool.RecoveredBatch;
import dev.syntra.telemetry.buffer.internal.spool.SpoolReplay;
import java.time.Clock;

/**
 * Rebuilds a buffer's frames and open batches from its spool. Runs in the buffer's constructor,
 * before any other thread can see the buffer.
 */
final class SpoolRecovery implements SpoolReplay {
  private final TelemetryBuffer buffer;
  private final SpoolJournal journal;
  private final Clock clock;

  SpoolRecovery(TelemetryBuffer buffer, SpoolJournal journal, Clock clock) {
    this.buffer = buffer;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public void sealed(RecoveredBatch recovered) {
    if (recovered.chunks().isEmpty()) {
      buffer.countLostChunks(recovered.missingChunks());
      journal.done(recovered.batchId(), true, -1);
      return;
    }
    OpenBatch batch = new OpenBatch(recovered.chunks().get(0).priority());
    for (TelemetryChunk chunk : recovered.chunks()) {
      batch.add(
          chunk, chunk.counts(), chunk.sizeBytes(), 0, recovered.firstSegment(), clock.instant());
    }
    journal.pin(recovered.firstSegment());
    buffer.restoreFrame(batch, recovered.batchId(), recovered.missingChunks());
  }

  @Override
  public void unsealed(long chunkId, long segment, TelemetryChunk chunk) {
    buffer.restoreChunk(chunkId, segment, chunk);
  }
}
