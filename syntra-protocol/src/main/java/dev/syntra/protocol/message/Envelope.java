package dev.syntra.protocol.message;

import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.security.SecureIds;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The frame around every control message: {@code {"v":1,"type":…,"id":…,"ts":…,"nonce":…,
 * "reply_to":…,"payload":{…}}}. {@code id} makes delivery idempotent, {@code ts} and {@code nonce}
 * feed the replay window, {@code reply_to} links answers to the message they answer.
 */
public record Envelope(
    int version, String id, Instant ts, String nonce, @Nullable String replyTo, Message payload) {

  public Envelope {
    Checks.range(version, 1, 255, "v");
    Checks.identifier(id, "id");
    Checks.notNull(ts, "ts");
    Checks.identifier(nonce, "nonce");
    if (nonce.length() < 16) {
      throw new IllegalArgumentException("nonce: must be at least 16 characters");
    }
    if (replyTo != null) {
      Checks.identifier(replyTo, "reply_to");
    }
    Checks.notNull(payload, "payload");
  }

  /** A new envelope with a random id and nonce, stamped with {@code clock}. */
  public static Envelope of(Message payload, Clock clock) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        null,
        payload);
  }

  /** A new envelope answering {@code request}. */
  public static Envelope replyTo(Envelope request, Message payload, Clock clock) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        request.id(),
        payload);
  }

  public MessageType type() {
    return payload.type();
  }
}
