package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server refused an {@link AgentHello} and will close the connection.
 *
 * @param reason machine-readable reason
 * @param message human-readable explanation, safe to show to the operator
 * @param retryAfter how long to wait before trying again (set for {@code rate_limited}), or null:
 *     then the agent retries with its usual reconnect backoff for {@code internal}, and not at all
 *     with the same token for the token reasons
 */
public record HelloRejected(Reason reason, String message, @Nullable Duration retryAfter)
    implements ServerMessage {

  /** Why a hello was refused. Wire form: lower-case name. */
  public enum Reason {
    /** Unknown or malformed token. */
    INVALID_TOKEN,
    /** The registration token expired (24 h after it was issued). */
    TOKEN_EXPIRED,
    /** The one-time registration token was already used. */
    TOKEN_REUSED,
    /** The agent was revoked by an administrator. */
    AGENT_REVOKED,
    /** The agent speaks a protocol version the server does not. */
    UNSUPPORTED_VERSION,
    /** Too many attempts; retry after {@code retry_after_ms}. */
    RATE_LIMITED,
    /** The server could not complete the handshake; retry later. */
    INTERNAL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public HelloRejected {
    Checks.notNull(reason, "reason");
    Checks.notNull(message, "message");
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retry_after_ms: must not be negative");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.HELLO_REJECTED;
  }
}
