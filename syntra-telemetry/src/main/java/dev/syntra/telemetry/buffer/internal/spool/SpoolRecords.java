package dev.syntra.telemetry.buffer.internal.spool;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.telemetry.TelemetryChunk;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The spool's record format. Every record is {@code [int length][byte type][payload][int crc32c]}
 * (big-endian), where {@code length} counts the type byte and the payload, and the CRC32C covers
 * the length, the type and the payload, so a damaged length is caught too.
 *
 * <ul>
 *   <li>{@code CHUNK}: {@code long chunkId, byte flags (bit 0: priority), int n, TracesData, int n,
 *       LogsData, int n, MetricsData}
 *   <li>{@code SEAL}: {@code batchId (16 bytes), int count, long chunkId × count}
 *   <li>{@code DONE}: {@code batchId (16 bytes), byte why (0 acknowledged, 1 evicted)}
 * </ul>
 */
final class SpoolRecords {
  static final byte CHUNK = 1;
  static final byte SEAL = 2;
  static final byte DONE = 3;

  /** Bytes before the payload: length and type. */
  static final int PREFIX = 5;

  /** Bytes after the payload: the CRC. */
  static final int SUFFIX = 4;

  /** A larger length field is corruption (chunks are bounded by the largest frame). */
  static final int MAX_LENGTH = 256 << 20;

  private SpoolRecords() {}

  /** The chunk serialized once, straight into the record. */
  static byte[] chunk(long chunkId, TelemetryChunk chunk) {
    int t = chunk.traces().getSerializedSize();
    int l = chunk.logs().getSerializedSize();
    int m = chunk.metrics().getSerializedSize();
    int payload = 8 + 1 + 12 + t + l + m;
    byte[] record = new byte[PREFIX + payload + SUFFIX];
    ByteBuffer out = ByteBuffer.wrap(record);
    out.putInt(payload + 1).put(CHUNK).putLong(chunkId).put((byte) (chunk.priority() ? 1 : 0));
    int at = out.position();
    at = message(record, at, chunk.traces(), t);
    at = message(record, at, chunk.logs(), l);
    message(record, at, chunk.metrics(), m);
    return withCrc(record);
  }

  static byte[] seal(BatchId batchId, long[] chunkIds) {
    int payload = 16 + 4 + 8 * chunkIds.length;
    byte[] record = new byte[PREFIX + payload + SUFFIX];
    ByteBuffer out = ByteBuffer.wrap(record);
    out.putInt(payload + 1).put(SEAL);
    batchId.write(out);
    out.putInt(chunkIds.length);
    for (long id : chunkIds) {
      out.putLong(id);
    }
    return withCrc(record);
  }

  static byte[] done(BatchId batchId, boolean evicted) {
    byte[] record = new byte[PREFIX + 17 + SUFFIX];
    ByteBuffer out = ByteBuffer.wrap(record);
    out.putInt(18).put(DONE);
    batchId.write(out);
    out.put((byte) (evicted ? 1 : 0));
    return withCrc(record);
  }

  /** Parses a CHUNK payload (after the type byte). */
  static TelemetryChunk parseChunk(ByteBuffer payload) throws InvalidProtocolBufferException {
    payload.getLong();
    boolean priority = (payload.get() & 1) != 0;
    TracesData traces = TracesData.parseFrom(slice(payload));
    LogsData logs = LogsData.parseFrom(slice(payload));
    MetricsData metrics = MetricsData.parseFrom(slice(payload));
    return new TelemetryChunk(traces, logs, metrics, priority);
  }

  /** CRC32C of a record's first {@code prefixAndPayload} bytes. */
  static int crc(byte[] record, int offset, int prefixAndPayload) {
    CRC32C crc = new CRC32C();
    crc.update(record, offset, prefixAndPayload);
    return (int) crc.getValue();
  }

  private static ByteBuffer slice(ByteBuffer in) throws InvalidProtocolBufferException {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new InvalidProtocolBufferException("spooled message length " + n + " is out of range");
    }
    ByteBuffer slice = in.slice(in.position(), n);
    in.position(in.position() + n);
    return slice;
  }

  private static int message(byte[] record, int at, MessageLite message, int size) {
    ByteBuffer.wrap(record, at, 4).putInt(size);
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(record, at + 4, size);
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing into an exactly sized array cannot fail", e);
    }
    return at + 4 + size;
  }

  private static byte[] withCrc(byte[] record) {
    int body = record.length - SUFFIX;
    ByteBuffer.wrap(record, body, SUFFIX).putInt(crc(record, 0, body));
    return record;
  }
}
