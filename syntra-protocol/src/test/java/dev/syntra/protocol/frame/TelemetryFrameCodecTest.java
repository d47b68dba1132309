package dev.syntra.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TelemetryFrameCodecTest {
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();

  @Test
  void roundTripsARealisticBatch() {
    TelemetryFrame frame = SampleBatches.realistic(BatchId.random(), 500, 300, 1);
    byte[] bytes = codec.encode(frame);
    TelemetryFrame decoded = codec.decode(bytes);
    assertThat(decoded).isEqualTo(frame);
    assertThat(decoded.counts()).isEqualTo(new SignalCounts(500, 300, 5));
  }

  @Test
  void headerIsReadableWithoutDecompressing() {
    TelemetryFrame frame = SampleBatches.realistic(BatchId.random(), 10, 4, 2);
    FrameHeader header = codec.readHeader(codec.encode(frame));
    assertThat(header.batchId()).isEqualTo(frame.batchId());
    assertThat(header.counts()).isEqualTo(frame.counts());
    assertThat(header.compressed()).isTrue();
    assertThat(header.version()).isEqualTo(1);
  }

  @Test
  void roundTripsAnEmptyBatch() {
    TelemetryFrame empty =
        new TelemetryFrame(
            BatchId.random(),
            TracesData.getDefaultInstance(),
            LogsData.getDefaultInstance(),
            MetricsData.getDefaultInstance());
    assertThat(codec.decode(codec.encode(empty))).isEqualTo(empty);
  }

  @Test
  void refusesAZipBombByItsDeclaredSizeBeforeAllocating() {
    byte[] bomb = frame(Zstd.compress(new byte[64 << 20], 19), 64 << 20);
    TelemetryFrameCodec strict =
        TelemetryFrameCodec.create(new FrameLimits(16 << 20, 8 << 20, 200), 3);
    assertError(() -> strict.decode(bomb), ProtocolErrorCode.TOO_LARGE, "decompress to");
  }

  @Test
  void refusesAZipBombByItsCompressionRatio() {
    byte[] bomb = frame(Zstd.compress(new byte[32 << 20], 19), 32 << 20);
    assertError(() -> codec.decode(bomb), ProtocolErrorCode.TOO_LARGE, "compression ratio");
  }

  @Test
  void refusesAPayloadThatDecompressesToMoreThanDeclared() {
    byte[] lying = frame(Zstd.compress(new byte[100_000], 3), 1_000);
    TelemetryFrameCodec lax =
        TelemetryFrameCodec.create(new FrameLimits(1 << 20, 1 << 20, 100_000), 3);
    assertError(() -> lax.decode(lying), ProtocolErrorCode.MALFORMED_FRAME, "larger than declared");
  }

  @Test
  void refusesHeaderCountsThatDisagreeWithThePayload() {
    byte[] bytes = codec.encode(SampleBatches.realistic(BatchId.random(), 5, 5, 3));
    ByteBuffer.wrap(bytes).putInt(24, 6);
    assertError(() -> codec.decode(bytes), ProtocolErrorCode.MALFORMED_FRAME, "do not match");
  }

  @Test
  void refusesTruncatedFramesAndBadMagic() {
    byte[] bytes = codec.encode(SampleBatches.realistic(BatchId.random(), 5, 5, 4));
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertError(() -> codec.decode(truncated), ProtocolErrorCode.MALFORMED_FRAME, "follow");
    assertError(() -> codec.decode(new byte[10]), ProtocolErrorCode.MALFORMED_FRAME, "shorter");
    bytes[0] = 'X';
    assertError(() -> codec.decode(bytes), ProtocolErrorCode.MALFORMED_FRAME, "magic");
  }

  @Test
  void refusesNewerFrameVersionsAndUnknownFlags() {
    byte[] bytes = codec.encode(SampleBatches.realistic(BatchId.random(), 1, 1, 5));
    bytes[4] = 2;
    assertError(() -> codec.decode(bytes), ProtocolErrorCode.UNSUPPORTED_VERSION, "version 2");
    bytes[4] = 1;
    bytes[5] = 0x03;
    assertError(() -> codec.decode(bytes), ProtocolErrorCode.MALFORMED_FRAME, "flag");
  }

  @Test
  void refusesFramesOverTheSizeLimit() {
    TelemetryFrameCodec tiny = TelemetryFrameCodec.create(new FrameLimits(100, 1 << 20, 200), 3);
    byte[] bytes = codec.encode(SampleBatches.realistic(BatchId.random(), 50, 0, 6));
    assertError(() -> tiny.decode(bytes), ProtocolErrorCode.TOO_LARGE, "limit");
  }

  @Test
  void refusesCorruptProtobufInsideValidZstd() {
    byte[] garbage = {0x0a, 0x7f, 0x01};
    byte[] bytes = frame(Zstd.compress(garbage, 3), garbage.length);
    assertError(() -> codec.decode(bytes), ProtocolErrorCode.MALFORMED_FRAME, "OTLP");
  }

  @Test
  void batchIdHasAStableTextForm() {
    BatchId id = BatchId.parse("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assertThat(id.toString()).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assertThat(BatchId.parse(BatchId.random().toString())).isNotNull();
    assertThatThrownBy(() -> BatchId.parse("XYZ")).isInstanceOf(IllegalArgumentException.class);
  }

  /** A frame with a valid header around {@code payload}, claiming {@code uncompressed} bytes. */
  static byte[] frame(byte[] payload, int uncompressed) {
    ByteBuffer out = ByteBuffer.allocate(FrameHeader.LENGTH + payload.length);
    out.putInt(FrameHeader.MAGIC).put((byte) 1).put((byte) 1).putShort((short) 0);
    BatchId.random().write(out);
    out.putInt(0).putInt(0).putInt(0).putInt(uncompressed).putInt(payload.length).put(payload);
    return out.array();
  }

  private static void assertError(
      ThrowingCallable call, ProtocolErrorCode code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }
}
