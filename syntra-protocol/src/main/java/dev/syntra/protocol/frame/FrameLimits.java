package dev.syntra.protocol.frame;

/**
 * Bounds applied when decoding a frame, checked before any memory is allocated for the payload, so
 * a hostile frame (a zip bomb, a lying length) costs an error rather than memory.
 *
 * @param maxFrameBytes largest frame accepted, header included
 * @param maxUncompressedBytes largest payload accepted after decompression
 * @param maxCompressionRatio largest uncompressed/compressed ratio accepted
 */
public record FrameLimits(int maxFrameBytes, int maxUncompressedBytes, int maxCompressionRatio) {
  /**
   * 4 MiB frames (the {@code max_frame_bytes} a server advertises by default), 64 MiB decompressed,
   * ratio at most 200 (OTLP typically compresses 5-20x).
   */
  public static final FrameLimits DEFAULTS = new FrameLimits(4 << 20, 64 << 20, 200);

  public FrameLimits {
    if (maxFrameBytes < FrameHeader.LENGTH) {
      throw new IllegalArgumentException("maxFrameBytes: must be at least " + FrameHeader.LENGTH);
    }
    if (maxUncompressedBytes < 0 || maxCompressionRatio < 1) {
      throw new IllegalArgumentException(
          "maxUncompressedBytes must not be negative and maxCompressionRatio must be at least 1");
    }
  }
}
