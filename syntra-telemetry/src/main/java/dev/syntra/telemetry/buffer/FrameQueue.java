package dev.syntra.telemetry.buffer;

import dev.syntra.protocol.frame.BatchId;
import java.util.List;

/**
 * The sending side of the buffer: sealed frames wait here until the server acknowledges them (or
 * the buffer drops them on overflow). Thread-safe.
 */
public interface FrameQueue {
  /**
   * Unacknowledged frames whose sequence is greater than {@code afterSequence}, oldest first, at
   * most {@code maxFrames}. {@code afterSequence = -1} starts from the oldest (a resend after a
   * reconnect).
   */
  List<SealedFrame> framesAfter(long afterSequence, int maxFrames);

  /**
   * The server has the batch (stored, duplicate, or rejected for good): forget it, durably when a
   * spool is on. Unknown ids (already dropped or acknowledged) are ignored.
   */
  void acknowledge(BatchId batchId);

  /**
   * Runs {@code listener} (on the sealing thread; it must be quick) each time a frame is sealed.
   */
  void onSealed(Runnable listener);
}
