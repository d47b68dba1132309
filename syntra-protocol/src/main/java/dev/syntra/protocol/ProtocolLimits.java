package dev.syntra.protocol;

/**
 * Size bounds both peers of the agent link share. Every component that builds, stores, carries or
 * decodes a JSON control message (the control plane's command queue and hub, the agent's link and
 * decoder) takes its bound from here, so a message one side accepts is one the other side can read.
 */
public final class ProtocolLimits {
  /**
   * The largest JSON text message, and so the largest command, in UTF-8 bytes of its encoded
   * envelope: 4 MiB. A message of exactly this size is accepted; one byte more is refused ({@code
   * too_large} on decode; the control plane refuses to queue such a command with {@code
   * command_too_large}).
   */
  public static final int MAX_TEXT_MESSAGE_BYTES = 4 << 20;

  private ProtocolLimits() {}
}
