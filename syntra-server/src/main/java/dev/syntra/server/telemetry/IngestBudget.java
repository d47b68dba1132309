package dev.syntra.server.telemetry;

/**
 * Frames and bytes waiting to be stored, bounded by both. Thread-safe; a frame larger than the byte
 * bound still fits when nothing else waits (it is within the hub's frame limit anyway).
 */
final class IngestBudget {
  private final int maxFrames;
  private final long maxBytes;
  private int frames;
  private long bytes;

  IngestBudget(int maxFrames, long maxBytes) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  synchronized boolean tryAcquire(long size) {
    if (frames >= maxFrames || (frames > 0 && bytes + size > maxBytes)) {
      return false;
    }
    frames++;
    bytes += size;
    return true;
  }

  /** Releases one frame; returns the frames still waiting. */
  synchronized int release(long size) {
    frames--;
    bytes -= size;
    return frames;
  }

  synchronized int frames() {
    return frames;
  }

  synchronized long bytes() {
    return bytes;
  }
}
