package dev.syntra.protocol.frame;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.ProtocolVersion;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes binary telemetry frames (layout in PROTOCOL.md): a 44-byte big-endian header
 * and a payload holding the protobuf message {@code TelemetryBatch { TracesData traces = 1;
 * LogsData logs = 2; MetricsData metrics = 3; }}, zstd-compressed.
 *
 * <p>Decoding checks every length against the frame and {@link FrameLimits} before allocating, then
 * the decompressed size and the parsed counts against the header, and throws only {@link
 * ProtocolException}. Immutable and thread-safe.
 */
public final class TelemetryFrameCodec {
  private static final int TRACES_FIELD = 1;
  private static final int LOGS_FIELD = 2;
  private static final int METRICS_FIELD = 3;
  private static final long U32_MAX = 0xFFFF_FFFFL;

  private final FrameLimits limits;
  private final int compressionLevel;

  private TelemetryFrameCodec(FrameLimits limits, int compressionLevel) {
    this.limits = limits;
    this.compressionLevel = compressionLevel;
  }

  /** Default limits, zstd level 3. */
  public static TelemetryFrameCodec create() {
    return new TelemetryFrameCodec(FrameLimits.DEFAULTS, 3);
  }

  public static TelemetryFrameCodec create(FrameLimits limits, int compressionLevel) {
    if (compressionLevel < 1 || compressionLevel > 19) {
      throw new IllegalArgumentException("compressionLevel: must be 1-19");
    }
    return new TelemetryFrameCodec(limits, compressionLevel);
  }

  /** The frame's bytes: header then zstd-compressed payload. */
  public byte[] encode(TelemetryFrame frame) {
    byte[] payload = serializeBatch(frame);
    byte[] compressed = Zstd.compress(payload, compressionLevel);
    SignalCounts counts = frame.counts();
    ByteBuffer out = ByteBuffer.allocate(FrameHeader.LENGTH + compressed.length);
    out.putInt(FrameHeader.MAGIC)
        .put((byte) ProtocolVersion.FRAME_VERSION)
        .put((byte) FrameHeader.FLAG_ZSTD)
        .putShort((short) 0);
    frame.batchId().write(out);
    out.putInt(u32(counts.spans()))
        .putInt(u32(counts.logRecords()))
        .putInt(u32(counts.metricPoints()))
        .putInt(payload.length)
        .putInt(compressed.length)
        .put(compressed);
    return out.array();
  }

  /** Reads and validates the header only; cheap, no decompression. */
  public FrameHeader readHeader(byte[] frame) {
    if (frame.length < FrameHeader.LENGTH) {
      throw malformed("frame is " + frame.length + " bytes, shorter than the 44-byte header");
    }
    if (frame.length > limits.maxFrameBytes()) {
      throw new ProtocolException(
          ProtocolErrorCode.TOO_LARGE,
          "frame is " + frame.length + " bytes, more than the limit of " + limits.maxFrameBytes());
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    int magic = in.getInt();
    if (magic != FrameHeader.MAGIC) {
      throw malformed(
          String.format("bad magic 0x%08x, expected 0x%08x (\"SYTF\")", magic, FrameHeader.MAGIC));
    }
    int version = Byte.toUnsignedInt(in.get());
    if (version != ProtocolVersion.FRAME_VERSION) {
      throw new ProtocolException(
          ProtocolErrorCode.UNSUPPORTED_VERSION,
          "frame version "
              + version
              + " is not supported (this peer speaks "
              + ProtocolVersion.FRAME_VERSION
              + ")");
    }
    int flags = Byte.toUnsignedInt(in.get());
    if ((flags & ~FrameHeader.FLAG_ZSTD) != 0 || in.getShort() != 0) {
      throw malformed(String.format("unknown flag bits 0x%02x or non-zero reserved bytes", flags));
    }
    BatchId batchId = BatchId.read(in);
    SignalCounts counts =
        new SignalCounts(
            Integer.toUnsignedLong(in.getInt()),
            Integer.toUnsignedLong(in.getInt()),
            Integer.toUnsignedLong(in.getInt()));
    long uncompressed = Integer.toUnsignedLong(in.getInt());
    long payloadLength = Integer.toUnsignedLong(in.getInt());
    if (payloadLength != frame.length - FrameHeader.LENGTH) {
      throw malformed(
          "header says the payload is "
              + payloadLength
              + " bytes but "
              + (frame.length - FrameHeader.LENGTH)
              + " follow");
    }
    FrameHeader header =
        new FrameHeader(version, flags, batchId, counts, uncompressed, payloadLength);
    checkSizes(header);
    return header;
  }

  /** Decodes and validates a whole frame. */
  public TelemetryFrame decode(byte[] frame) {
    FrameHeader header = readHeader(frame);
    byte[] payload = header.compressed() ? decompress(frame, header) : payloadOf(frame);
    TelemetryFrame decoded = parseBatch(header.batchId(), payload);
    SignalCounts actual = decoded.counts();
    if (!actual.equals(header.counts())) {
      throw malformed("header counts " + header.counts() + " do not match the payload's " + actual);
    }
    return decoded;
  }

  private void checkSizes(FrameHeader header) {
    if (header.uncompressedLength() > limits.maxUncompressedBytes()) {
      throw new ProtocolException(
          ProtocolErrorCode.TOO_LARGE,
          "payload would decompress to "
              + header.uncompressedLength()
              + " bytes, more than the limit of "
              + limits.maxUncompressedBytes());
    }
    if (!header.compressed() && header.uncompressedLength() != header.payloadLength()) {
      throw malformed("an uncompressed payload must have equal lengths");
    }
    if (header.compressed()
        && header.uncompressedLength() > header.payloadLength() * limits.maxCompressionRatio()) {
      throw new ProtocolException(
          ProtocolErrorCode.TOO_LARGE,
          "compression ratio "
              + header.uncompressedLength() / Math.max(1, header.payloadLength())
              + " exceeds the limit of "
              + limits.maxCompressionRatio());
    }
  }

  private static byte[] decompress(byte[] frame, FrameHeader header) {
    int expected = (int) header.uncompressedLength();
    byte[] out = new byte[expected];
    long written;
    try {
      written =
          Zstd.decompressByteArray(
              out, 0, expected, frame, FrameHeader.LENGTH, (int) header.payloadLength());
    } catch (RuntimeException e) {
      throw new ProtocolException(
          ProtocolErrorCode.MALFORMED_FRAME,
          null,
          "zstd payload is corrupt or larger than declared: " + e.getMessage(),
          e);
    }
    if (written != expected) {
      throw malformed("payload decompressed to " + written + " bytes, header says " + expected);
    }
    return out;
  }

  private static byte[] payloadOf(byte[] frame) {
    byte[] out = new byte[frame.length - FrameHeader.LENGTH];
    System.arraycopy(frame, FrameHeader.LENGTH, out, 0, out.length);
    return out;
  }

  private static byte[] serializeBatch(TelemetryFrame frame) {
    try {
      int size = 0;
      size += fieldSize(TRACES_FIELD, frame.traces().getSerializedSize());
      size += fieldSize(LOGS_FIELD, frame.logs().getSerializedSize());
      size += fieldSize(METRICS_FIELD, frame.metrics().getSerializedSize());
      byte[] out = new byte[size];
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      // Empty signals are omitted, as protobuf omits default values.
      if (frame.traces().getSerializedSize() > 0) {
        cos.writeMessage(TRACES_FIELD, frame.traces());
      }
      if (frame.logs().getSerializedSize() > 0) {
        cos.writeMessage(LOGS_FIELD, frame.logs());
      }
      if (frame.metrics().getSerializedSize() > 0) {
        cos.writeMessage(METRICS_FIELD, frame.metrics());
      }
      cos.checkNoSpaceLeft();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("serializing into an exactly sized array cannot fail", e);
    }
  }

  private static int fieldSize(int field, int messageSize) {
    return messageSize == 0
        ? 0
        : CodedOutputStream.computeTagSize(field)
            + CodedOutputStream.computeUInt32SizeNoTag(messageSize)
            + messageSize;
  }

  private static TelemetryFrame parseBatch(BatchId batchId, byte[] payload) {
    TracesData.Builder traces = TracesData.newBuilder();
    LogsData.Builder logs = LogsData.newBuilder();
    MetricsData.Builder metrics = MetricsData.newBuilder();
    CodedInputStream in = CodedInputStream.newInstance(payload);
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        boolean lengthDelimited =
            WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        switch (lengthDelimited ? WireFormat.getTagFieldNumber(tag) : 0) {
          case TRACES_FIELD -> in.readMessage(traces, ExtensionRegistryLite.getEmptyRegistry());
          case LOGS_FIELD -> in.readMessage(logs, ExtensionRegistryLite.getEmptyRegistry());
          case METRICS_FIELD -> in.readMessage(metrics, ExtensionRegistryLite.getEmptyRegistry());
          default -> in.skipField(tag); // fields of a newer minor version
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException(
          ProtocolErrorCode.MALFORMED_FRAME,
          null,
          "payload is not a valid OTLP batch: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new ProtocolException(
          ProtocolErrorCode.MALFORMED_FRAME,
          null,
          "payload could not be read: " + e.getMessage(),
          e);
    }
    return new TelemetryFrame(batchId, traces.build(), logs.build(), metrics.build());
  }

  private static int u32(long value) {
    if (value > U32_MAX) {
      throw new IllegalArgumentException("a batch holds at most 2^32-1 items per signal");
    }
    return (int) value;
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ProtocolErrorCode.MALFORMED_FRAME, message);
  }

  @Override
  public String toString() {
    return "TelemetryFrameCodec[" + limits + ", zstdLevel=" + compressionLevel + "]";
  }
}
