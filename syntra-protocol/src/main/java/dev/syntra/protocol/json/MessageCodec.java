package dev.syntra.protocol.json;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.json.internal.JsonIn;
import dev.syntra.protocol.json.internal.JsonOut;
import dev.syntra.protocol.json.internal.PayloadJson;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.security.SecureIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes {@link Envelope}s to JSON text frames and decodes them back.
 *
 * <p>Decoding ignores unknown fields, refuses duplicate keys, and throws only {@link
 * ProtocolException}: {@code unsupported_version} for any envelope major version but 1, {@code
 * unknown_type} for a type this version does not know, {@code missing_field}/{@code invalid_field}
 * with the JSON path of the field, {@code too_large} beyond the size and nesting bounds. Encoding
 * is canonical: field order is fixed, null optionals are omitted, so decode-then-encode of an
 * encoded message reproduces it byte for byte.
 *
 * <p>Immutable and thread-safe; create one and share it.
 */
public final class MessageCodec {
  /** Default bound of one text frame: {@link ProtocolLimits#MAX_TEXT_MESSAGE_BYTES} (4 MiB). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = ProtocolLimits.MAX_TEXT_MESSAGE_BYTES;

  private static final int MAX_NESTING_DEPTH = 32;

  private final JsonMapper mapper;
  private final int maxMessageBytes;

  private MessageCodec(int maxMessageBytes) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxDocumentLength(maxMessageBytes)
            .maxStringLength(maxMessageBytes)
            .maxNumberLength(64)
            .maxNameLength(1024)
            .build();
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper = JsonMapper.builder(factory).build();
    this.maxMessageBytes = maxMessageBytes;
  }

  /** A codec accepting messages up to {@link #DEFAULT_MAX_MESSAGE_BYTES}. */
  public static MessageCodec create() {
    return new MessageCodec(DEFAULT_MAX_MESSAGE_BYTES);
  }

  /** A codec accepting messages up to {@code maxMessageBytes} (UTF-8 bytes). */
  public static MessageCodec create(int maxMessageBytes) {
    if (maxMessageBytes < 256) {
      throw new IllegalArgumentException("maxMessageBytes: must be at least 256");
    }
    return new MessageCodec(maxMessageBytes);
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The envelope as compact JSON text. */
  public String encode(Envelope envelope) {
    return new String(encodeToBytes(envelope), StandardCharsets.UTF_8);
  }

  /** The envelope as compact UTF-8 JSON. */
  public byte[] encodeToBytes(Envelope envelope) {
    ObjectNode root = mapper.createObjectNode();
    JsonOut out =
        new JsonOut(root)
            .int64("v", envelope.version())
            .string("type", envelope.type().wireName())
            .string("id", envelope.id())
            .instant("ts", envelope.ts())
            .string("nonce", envelope.nonce())
            .string("reply_to", envelope.replyTo());
    PayloadJson.write(envelope.payload(), new JsonOut(root.putObject("payload")));
    return mapper.writeValueAsBytes(out.node());
  }

  /** Decodes a JSON text frame. */
  public Envelope decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes UTF-8 JSON. */
  public Envelope decode(byte[] json) {
    JsonIn root = JsonIn.object(parse(json), "$");
    int version = root.int32("v");
    if (version != ProtocolVersion.JSON_MAJOR) {
      throw new ProtocolException(
          ProtocolErrorCode.UNSUPPORTED_VERSION,
          "$.v",
          "envelope version "
              + version
              + " is not supported; this peer speaks version "
              + ProtocolVersion.JSON_MAJOR);
    }
    String typeName = root.string("type");
    MessageType type =
        MessageType.fromWireName(typeName)
            .orElseThrow(() ->
                new ProtocolException(
                    ProtocolErrorCode.UNKNOWN_TYPE,
                    "$.type",
                    "unknown message type '" + abbreviate(typeName) + "'"));
    String id = root.string("id");
    Instant ts = root.instant("ts");
    String nonce = root.string("nonce");
    String replyTo = root.optString("reply_to");
    Message payload = PayloadJson.read(type, root.object("payload"));
    return root.build(() -> new Envelope(version, id, ts, nonce, replyTo, payload));
  }

  /**
   * The {@code error} message answering input that failed to decode with {@code failure}; its
   * {@code reply_to} is the input's {@code id} when that much could be read.
   */
  public Envelope errorReply(byte[] input, ProtocolException failure, Clock clock) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        readableId(input),
        ProtocolError.of(failure));
  }

  private @Nullable String readableId(byte[] input) {
    try {
      JsonNode id = parse(input).get("id");
      if (id != null && id.isString()) {
        String text = id.stringValue();
        return text.matches("[A-Za-z0-9_.:-]{1,128}") ? text : null;
      }
    } catch (ProtocolException e) {
      // Not even the id is readable; the reply goes without reply_to.
    }
    return null;
  }

  private JsonNode parse(byte[] json) {
    if (json.length > maxMessageBytes) {
      throw new ProtocolException(
          ProtocolErrorCode.TOO_LARGE,
          "message is " + json.length + " bytes, more than the limit of " + maxMessageBytes);
    }
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new ProtocolException(ProtocolErrorCode.MALFORMED_JSON, "message is empty");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(
          ProtocolErrorCode.TOO_LARGE,
          null,
          "message exceeds a parser bound: " + e.getOriginalMessage(),
          e);
    } catch (JacksonException e) {
      throw new ProtocolException(
          ProtocolErrorCode.MALFORMED_JSON,
          null,
          "message is not valid JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  @Override
  public String toString() {
    return "MessageCodec[maxMessageBytes=" + maxMessageBytes + "]";
  }
}
