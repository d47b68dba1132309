package dev.syntra.protocol.frame;

/**
 * The fixed 44-byte header of a telemetry frame, readable without decompressing (so a server can
 * drop a duplicate batch id cheaply).
 *
 * @param version frame format version
 * @param flags flag bits; bit 0 set means the payload is zstd-compressed
 * @param batchId the batch id
 * @param counts items per signal the payload holds
 * @param uncompressedLength length of the protobuf payload after decompression
 * @param payloadLength length of the payload as it follows the header
 */
public record FrameHeader(
    int version,
    int flags,
    BatchId batchId,
    SignalCounts counts,
    long uncompressedLength,
    long payloadLength) {

  /** Bytes of the header. */
  public static final int LENGTH = 44;

  /** "SYTF": SYntra Telemetry Frame. */
  public static final int MAGIC = 0x53595446;

  /** Flag bit: the payload is zstd-compressed. */
  public static final int FLAG_ZSTD = 0x01;

  public boolean compressed() {
    return (flags & FLAG_ZSTD) != 0;
  }
}
