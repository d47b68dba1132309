package dev.syntra.protocol.message;

import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Either side's answer to a message it could not accept (unknown type, newer version, bad field,
 * replay). The envelope {@code reply_to} names the refused message when its id could be read.
 *
 * @param code a {@code ProtocolErrorCode} wire name; peers must accept unknown codes
 * @param message what was wrong
 * @param path JSON path of the offending field, or null
 */
public record ProtocolError(String code, String message, @Nullable String path)
    implements AgentMessage, ServerMessage {
  public ProtocolError {
    Checks.notBlank(code, "code");
    Checks.notNull(message, "message");
  }

  /** The error message describing {@code e}. */
  public static ProtocolError of(ProtocolException e) {
    String text = String.valueOf(e.getMessage());
    String path = e.path();
    if (path != null && text.startsWith(path + ": ")) {
      text = text.substring(path.length() + 2);
    }
    return new ProtocolError(e.code().wireName(), text, path);
  }

  @Override
  public MessageType type() {
    return MessageType.ERROR;
  }
}
