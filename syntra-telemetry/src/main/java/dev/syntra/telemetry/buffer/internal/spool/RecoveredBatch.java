package dev.syntra.telemetry.buffer.internal.spool;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.telemetry.TelemetryChunk;
import java.util.List;

/**
 * A batch that was sealed but not acknowledged before the process stopped.
 *
 * @param batchId the id it was sealed with (kept, so the server drops a resend it already has)
 * @param chunks its chunks that could be read, in their original order
 * @param firstSegment the oldest segment holding one of its records
 * @param missingChunks chunks the seal record names that were lost to a torn or corrupt segment
 */
public record RecoveredBatch(
    BatchId batchId, List<TelemetryChunk> chunks, long firstSegment, int missingChunks) {
  public RecoveredBatch {
    chunks = List.copyOf(chunks);
  }
}
