package dev.syntra.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a frame or message was refused. The wire form is the lower-case name ({@code unknown_type}),
 * sent back to the peer in an {@code error} message.
 */
public enum ProtocolErrorCode {
  /**
   * The bytes are not well-formed JSON (a root that is not an object is {@link #INVALID_FIELD}).
   */
  MALFORMED_JSON,
  /** A binary frame whose header or payload is inconsistent or corrupt. */
  MALFORMED_FRAME,
  /** The envelope names a message type this peer does not know. */
  UNKNOWN_TYPE,
  /** The envelope's major version (or a frame's version byte) is not the one this peer speaks. */
  UNSUPPORTED_VERSION,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A field is present but has the wrong type or an invalid value. */
  INVALID_FIELD,
  /** The input exceeds a configured size, depth or ratio bound. */
  TOO_LARGE,
  /** The message is outside the replay window or reuses a nonce. */
  REPLAYED,
  /** The message is valid but not allowed in the current session state or direction. */
  NOT_ALLOWED;

  /** The wire name, e.g. {@code unknown_type}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Looks a code up by its wire name; empty for codes added by a newer peer. */
  public static Optional<ProtocolErrorCode> fromWireName(String wireName) {
    for (ProtocolErrorCode code : values()) {
      if (code.wireName().equals(wireName)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
