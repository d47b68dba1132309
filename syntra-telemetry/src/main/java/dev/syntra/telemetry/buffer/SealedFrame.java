package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.SignalCounts;
import java.util.Objects;

/**
 * A batch sealed into an encoded telemetry frame, waiting for the server's acknowledgement.
 *
 * @param sequence increases by one per sealed frame within one buffer (also across a spool replay),
 *     so a sender can keep a cursor
 * @param batchId the frame's batch id; a frame rebuilt from the spool after a restart keeps it
 * @param bytes the encoded frame (header and zstd payload), ready for a binary WebSocket message;
 *     callers must not modify it
 * @param counts items per signal in the frame
 * @param priority whether the frame holds priority data (errors)
 */
public record SealedFrame(
    long sequence, BatchId batchId, byte[] bytes, SignalCounts counts, boolean priority) {
  public SealedFrame {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(counts, "counts");
  }
}
