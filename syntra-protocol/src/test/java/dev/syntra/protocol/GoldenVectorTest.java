package dev.syntra.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.frame.SampleBatches;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.MessageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden vectors under {@code src/test/resources/vectors}: one JSON file per message type and
 * hex dumps of binary frames. Every vector decodes and re-encodes byte for byte, and equals what
 * the encoder makes of the sample message, so a change to the wire format cannot slip in unnoticed.
 *
 * <p>After an intended wire change, regenerate with {@code mvn -pl syntra-protocol test
 * -Dtest=GoldenVectorTest -Dsyntra.vectors.write=true} and review the diff.
 */
class GoldenVectorTest {
  private static final Path VECTORS = Path.of("src/test/resources/vectors");
  private static final boolean WRITE = Boolean.getBoolean("syntra.vectors.write");

  private final MessageCodec codec = MessageCodec.create();
  private final TelemetryFrameCodec frames = TelemetryFrameCodec.create();

  @TestFactory
  Stream<DynamicTest> everyJsonVectorRoundTripsByteForByte() {
    return Samples.messages().values().stream()
        .map(message ->
            DynamicTest.dynamicTest(message.type().wireName(), () -> checkJsonVector(message)));
  }

  @Test
  void thereIsAVectorForEveryMessageType() {
    for (MessageType type : MessageType.values()) {
      assertThat(VECTORS.resolve("json/" + type.wireName() + ".json")).exists();
    }
  }

  @Test
  void telemetryFrameVectorRoundTripsByteForByte() throws IOException {
    TelemetryFrame sample = SampleBatches.small();
    Path file = VECTORS.resolve("frame/small-batch.hex");
    if (WRITE) {
      Files.writeString(file, hexDump(frames.encode(sample)));
    }
    byte[] vector = HexFormat.of().parseHex(Files.readString(file).replaceAll("\\s", ""));
    TelemetryFrame decoded = frames.decode(vector);
    assertThat(decoded).isEqualTo(sample);
    assertThat(decoded.counts().spans()).isEqualTo(3);
    assertThat(decoded.counts().logRecords()).isEqualTo(2);
    assertThat(frames.encode(decoded)).isEqualTo(vector);
  }

  private void checkJsonVector(Message message) throws IOException {
    Path file = VECTORS.resolve("json/" + message.type().wireName() + ".json");
    String encoded = codec.encode(Samples.envelope(message));
    if (WRITE) {
      Files.writeString(file, encoded + "\n");
    }
    String vector = Files.readString(file, StandardCharsets.UTF_8).strip();
    Envelope decoded = codec.decode(vector);
    assertThat(decoded.payload()).isEqualTo(message);
    assertThat(codec.encode(decoded)).isEqualTo(vector);
    assertThat(encoded).isEqualTo(vector);
  }

  private static String hexDump(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    String hex = HexFormat.of().formatHex(bytes);
    for (int i = 0; i < hex.length(); i += 64) {
      out.append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
    }
    return out.toString();
  }
}
