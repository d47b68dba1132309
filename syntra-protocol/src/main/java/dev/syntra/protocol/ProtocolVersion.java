package dev.syntra.protocol;

/**
 * Versions of the wire formats. The JSON envelope carries a major version {@code v}; a peer answers
 * a message with a newer major version with an {@code unsupported_version} error instead of
 * guessing. Minor, compatible changes (new optional fields, new message types announced in {@code
 * hello_ok}) never change the major version: decoders ignore unknown fields.
 */
public final class ProtocolVersion {
  /** Major version of the JSON control envelope this library speaks. */
  public static final int JSON_MAJOR = 1;

  /** Version byte of the binary telemetry frame this library writes and reads. */
  public static final int FRAME_VERSION = 1;

  private ProtocolVersion() {}
}
