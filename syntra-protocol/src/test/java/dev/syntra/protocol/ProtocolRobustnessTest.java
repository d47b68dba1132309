package dev.syntra.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.FrameHeader;
import dev.syntra.protocol.frame.SampleBatches;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Feeds every decoder 100,000+ mutated and random inputs (fixed seeds, so failures reproduce). The
 * only failure allowed is {@link ProtocolException}; whatever decodes must re-encode and decode to
 * the same value. The timeout catches hangs; the 1 GiB test heap catches unbounded allocation.
 */
class ProtocolRobustnessTest {
  private static final int CASES = 100_000;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MessageCodec codec = MessageCodec.create(64 << 10);
  private final TelemetryFrameCodec frames = TelemetryFrameCodec.create();

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void jsonDecoderSurvivesMutatedAndRandomInput() {
    List<byte[]> seeds = new ArrayList<>();
    for (var message : Samples.messages().values()) {
      seeds.add(codec.encodeToBytes(Samples.envelope(message)));
    }
    SplittableRandom random = new SplittableRandom(20261126);
    Tally tally =
        run(
            random,
            r -> {
              byte[] seed = seeds.get(r.nextInt(seeds.size()));
              return switch (r.nextInt(4)) {
                case 0, 1 -> mutateTree(seed, r);
                case 2 -> mutateBytes(seed, r);
                default -> randomJson(r);
              };
            },
            input -> {
              Envelope decoded = codec.decode(input);
              Envelope again = codec.decode(codec.encodeToBytes(decoded));
              assertThat(again).isEqualTo(decoded);
            });
    System.out.printf("json decoder: %s%n", tally);
    assertThat(tally.total()).isGreaterThanOrEqualTo(CASES);
    assertThat(tally.accepted).as("some mutants must stay valid").isPositive();
    assertThat(tally.rejected).as("most mutants must be refused").isGreaterThan(CASES / 2);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void frameDecoderSurvivesMutatedAndRandomInput() {
    List<TelemetryFrame> batches = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batches.add(SampleBatches.realistic(BatchId.random(), 1 + i * 3, i * 2, i));
    }
    List<byte[]> seeds = batches.stream().map(frames::encode).toList();
    SplittableRandom random = new SplittableRandom(42);
    Tally tally =
        run(
            random,
            r -> {
              byte[] seed = seeds.get(r.nextInt(seeds.size()));
              return switch (r.nextInt(5)) {
                case 0, 1 -> mutateBytes(seed, r);
                case 2 -> mutateHeader(seed, r);
                case 3 -> mutatePayload(batches.get(r.nextInt(batches.size())), r);
                default -> randomBytes(r, r.nextInt(200));
              };
            },
            input -> {
              frames.readHeader(input);
              TelemetryFrame decoded = frames.decode(input);
              assertThat(frames.decode(frames.encode(decoded))).isEqualTo(decoded);
            });
    System.out.printf("frame decoder: %s%n", tally);
    assertThat(tally.total()).isGreaterThanOrEqualTo(CASES);
    assertThat(tally.rejected).isGreaterThan(CASES / 2);
  }

  /** Outcome counts of a run. */
  private static final class Tally {
    long accepted;
    long rejected;

    long total() {
      return accepted + rejected;
    }

    @Override
    public String toString() {
      return total()
          + " inputs, "
          + accepted
          + " accepted, "
          + rejected
          + " refused with ProtocolException";
    }
  }

  private interface Decoder {
    void decode(byte[] input);
  }

  private static Tally run(
      SplittableRandom random, Function<SplittableRandom, byte[]> inputs, Decoder decoder) {
    Tally tally = new Tally();
    for (int i = 0; i < CASES; i++) {
      byte[] input = inputs.apply(random);
      try {
        decoder.decode(input);
        tally.accepted++;
      } catch (ProtocolException expected) {
        tally.rejected++;
      } catch (Throwable unexpected) {
        throw new AssertionError(
            "case "
                + i
                + " failed with "
                + unexpected
                + " on input (hex) "
                + HexFormat.of().formatHex(input),
            unexpected);
      }
    }
    return tally;
  }

  // ---- JSON mutations -------------------------------------------------------------------------

  private static byte[] mutateTree(byte[] seed, SplittableRandom r) {
    JsonNode root = MAPPER.readTree(seed);
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(root, containers);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      if (target instanceof ObjectNode object && !object.isEmpty()) {
        List<String> names = new ArrayList<>(object.propertyNames());
        String name = names.get(r.nextInt(names.size()));
        switch (r.nextInt(3)) {
          case 0 -> object.remove(name);
          case 1 -> object.set(name, randomValue(r, 0));
          default -> object.set("x_" + r.nextInt(100), randomValue(r, 0));
        }
      } else if (target instanceof ArrayNode array && !array.isEmpty()) {
        array.set(r.nextInt(array.size()), randomValue(r, 0));
      }
    }
    return MAPPER.writeValueAsBytes(root);
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainer()) {
      out.add(node);
      for (JsonNode child : node.values()) {
        collectContainers(child, out);
      }
    }
  }

  private static JsonNode randomValue(SplittableRandom r, int depth) {
    return switch (r.nextInt(depth > 3 ? 9 : 11)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(r.nextBoolean());
      case 2 -> NODES.numberNode(r.nextInt(-5, 70_000));
      case 3 -> NODES.numberNode(r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
      case 4 -> NODES.numberNode(r.nextBoolean() ? 1e308 : -0.5);
      case 5 -> NODES.stringNode("");
      case 6 ->
          NODES.stringNode(
              pick(
                  r,
                  "rolling",
                  "running",
                  "tcp",
                  "http",
                  "shop",
                  "/healthz",
                  "2026-11-26T12:00:00Z",
                  "busybox:1",
                  "msg_x",
                  "sha256:00",
                  "é\u0000\uFFFF",
                  "a".repeat(300)));
      case 7 -> NODES.stringNode(Long.toString(r.nextLong()));
      case 8 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 9 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = r.nextInt(3); i > 0; i--) {
          array.add(randomValue(r, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = r.nextInt(3); i > 0; i--) {
          object.set(
              pick(r, "project", "service", "type", "port", "v", "id"), randomValue(r, depth + 1));
        }
        yield object;
      }
    };
  }

  private static byte[] randomJson(SplittableRandom r) {
    StringBuilder out = new StringBuilder();
    String[] tokens = {
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      "\"v\"",
      "1",
      "\"type\"",
      "\"deploy\"",
      "null",
      "true",
      "-0",
      "1e999",
      "\"\\u0000\"",
      "\"payload\"",
      " ",
      "\"",
      "\\",
      "9999999999999999999999"
    };
    for (int i = r.nextInt(60); i > 0; i--) {
      out.append(tokens[r.nextInt(tokens.length)]);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ---- byte and frame mutations ---------------------------------------------------------------

  private static byte[] mutateBytes(byte[] seed, SplittableRandom r) {
    byte[] out = seed.clone();
    switch (r.nextInt(4)) {
      case 0 -> {
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
      case 2 -> {
        int at = r.nextInt(out.length);
        byte[] longer = new byte[out.length + 1];
        System.arraycopy(out, 0, longer, 0, at);
        longer[at] = (byte) r.nextInt(256);
        System.arraycopy(out, at, longer, at + 1, out.length - at);
        out = longer;
      }
      default -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  private static byte[] mutateHeader(byte[] seed, SplittableRandom r) {
    byte[] out = seed.clone();
    ByteBuffer header = ByteBuffer.wrap(out);
    int field = 24 + 4 * r.nextInt(5);
    int value =
        switch (r.nextInt(4)) {
          case 0 -> 0;
          case 1 -> -1;
          case 2 -> header.getInt(field) + r.nextInt(-3, 4);
          default -> r.nextInt();
        };
    header.putInt(field, value);
    return out;
  }

  /** A correctly framed and compressed payload whose protobuf bytes were damaged. */
  private static byte[] mutatePayload(TelemetryFrame frame, SplittableRandom r) {
    byte[] encoded = TelemetryFrameCodec.create().encode(frame);
    ByteBuffer in = ByteBuffer.wrap(encoded);
    byte[] payload = new byte[in.getInt(36)];
    Zstd.decompressByteArray(
        payload,
        0,
        payload.length,
        encoded,
        FrameHeader.LENGTH,
        encoded.length - FrameHeader.LENGTH);
    byte[] damaged = mutateBytes(payload, r);
    byte[] compressed = Zstd.compress(damaged, 1);
    ByteBuffer out = ByteBuffer.allocate(FrameHeader.LENGTH + compressed.length);
    out.put(encoded, 0, 36).putInt(damaged.length).putInt(compressed.length).put(compressed);
    return out.array();
  }

  private static byte[] randomBytes(SplittableRandom r, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) r.nextInt(256);
    }
    if (length >= 4 && r.nextBoolean()) {
      ByteBuffer.wrap(out).putInt(0, FrameHeader.MAGIC);
      if (length >= 6) {
        out[4] = 1;
        out[5] = 1;
      }
    }
    return out;
  }

  private static String pick(SplittableRandom r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
