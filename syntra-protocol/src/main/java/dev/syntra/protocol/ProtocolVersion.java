package dev.syntra.protocol;

/**
 * Versions of the wire formats. The JSON envelope carries a major version {@code v}; a peer answers
 * a message with any other major version with an {@code unsupported_version} error instead of
 * guessing. Compatible changes (new optional fields) never change the major version: decoders
 * ignore unknown fields. A new message type is only sent to a peer known to understand it (by the
 * agent version in {@code agent_hello}); a peer that does not answers {@code unknown_type}.
 */
public final class ProtocolVersion {
  /** Major version of the JSON control envelope this library speaks. */
  public static final int JSON_MAJOR = 1;

  /** Version byte of the binary telemetry frame this library writes and reads. */
  public static final int FRAME_VERSION = 1;

  private ProtocolVersion() {}
}
