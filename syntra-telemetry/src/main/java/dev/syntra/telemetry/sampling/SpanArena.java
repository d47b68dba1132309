package dev.syntra.telemetry.sampling;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A ring of serialized spans in one array allocated on first use: held spans cost the garbage
 * collector nothing (no object per span to copy on every young collection) and their memory is
 * exactly the ring. Records are addressed by an absolute position that only grows; a record is
 * intact while its position is at least {@link #floor()}. A record never wraps: when it does not
 * fit before the end of the array, writing continues at its start. Not thread-safe.
 *
 * <p>Record: 4-byte length, 1-byte reason (a {@link SamplingOutcome} ordinal), the span.
 */
final class SpanArena {
  static final int HEADER_BYTES = 5;

  private final int capacity;
  private byte[] bytes = new byte[0];
  private long writePosition;

  SpanArena(int capacity) {
    this.capacity = capacity;
  }

  /** Whether a record of this span size can be held at all. */
  boolean fits(int spanBytes) {
    return spanBytes + HEADER_BYTES <= capacity;
  }

  /** Where a record of {@code spanBytes} would start. */
  long nextStart(int spanBytes) {
    int offset = (int) (writePosition % capacity);
    return offset + spanBytes + HEADER_BYTES > capacity
        ? writePosition + (capacity - offset)
        : writePosition;
  }

  /** The lowest intact position once a record of {@code spanBytes} is written. */
  long floorAfter(int spanBytes) {
    return nextStart(spanBytes) + spanBytes + HEADER_BYTES - capacity;
  }

  long floor() {
    return writePosition - capacity;
  }

  /** Writes a record (call {@link #floorAfter} first and let go of what falls below it). */
  long write(Span span, int spanBytes, SamplingOutcome reason) {
    if (bytes.length == 0) {
      bytes = new byte[capacity];
    }
    long start = nextStart(spanBytes);
    int offset = (int) (start % capacity);
    bytes[offset] = (byte) (spanBytes >>> 24);
    bytes[offset + 1] = (byte) (spanBytes >>> 16);
    bytes[offset + 2] = (byte) (spanBytes >>> 8);
    bytes[offset + 3] = (byte) spanBytes;
    bytes[offset + 4] = (byte) reason.ordinal();
    try {
      CodedOutputStream out =
          CodedOutputStream.newInstance(bytes, offset + HEADER_BYTES, spanBytes);
      span.writeTo(out);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writePosition = start + spanBytes + HEADER_BYTES;
    return start;
  }

  SamplingOutcome reason(long position) {
    return SamplingOutcome.values()[bytes[(int) (position % capacity) + 4]];
  }

  Span read(long position) {
    int offset = (int) (position % capacity);
    int length =
        ((bytes[offset] & 0xFF) << 24)
            | ((bytes[offset + 1] & 0xFF) << 16)
            | ((bytes[offset + 2] & 0xFF) << 8)
            | (bytes[offset + 3] & 0xFF);
    try {
      return Span.parseFrom(CodedInputStream.newInstance(bytes, offset + HEADER_BYTES, length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int recordBytes(long position) {
    int offset = (int) (position % capacity);
    return (((bytes[offset] & 0xFF) << 24)
            | ((bytes[offset + 1] & 0xFF) << 16)
            | ((bytes[offset + 2] & 0xFF) << 8)
            | (bytes[offset + 3] & 0xFF))
        + HEADER_BYTES;
  }
}
