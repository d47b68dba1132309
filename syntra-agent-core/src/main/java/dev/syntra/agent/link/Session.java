package dev.syntra.agent.link;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.SessionSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open session with the control plane (after {@code hello_ok}). Sending is thread-safe; a
 * message sent after the connection dropped is refused ({@link #send} returns false).
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Channel channel;
  private final MessageCodec codec;
  private final SessionSettings settings;
  private final Instant openedAt;
  private final Runnable oversizedDropped;
  private volatile Runnable writable = () -> {};

  Session(
      Channel channel,
      MessageCodec codec,
      SessionSettings settings,
      Instant openedAt,
      Runnable oversizedDropped) {
    this.channel = channel;
    this.codec = codec;
    this.settings = settings;
    this.openedAt = openedAt;
    this.oversizedDropped = oversizedDropped;
  }

  /**
   * The largest text message this session may send, in UTF-8 bytes: the control plane's {@code
   * max_frame_bytes}, capped by the agent's own message bound (so a huge setting cannot make the
   * agent build huge messages).
   */
  public int maxMessageBytes() {
    return Math.min(settings.maxFrameBytes(), codec.maxMessageBytes());
  }

  /**
   * Sends {@code envelope} if the connection is up. Returns false if it is not; a message accepted
   * here may still be lost if the connection drops before it leaves the machine.
   *
   * <p>A message larger than {@link #maxMessageBytes()} is dropped, logged and counted, and this
   * returns true: the control plane would close the connection on it, and keeping it for a retry
   * would block everything behind it. Command results are made to fit before they get here.
   */
  public boolean send(Envelope envelope) {
    if (!channel.isActive()) {
      return false;
    }
    byte[] bytes = codec.encodeToBytes(envelope);
    if (bytes.length > maxMessageBytes()) {
      oversizedDropped.run();
      log.error(
          "Not sending {} {} (reply to {}): it is {} bytes, more than the {}-byte message limit"
              + " of the control plane",
          envelope.type().wireName(),
          envelope.id(),
          envelope.replyTo(),
          bytes.length,
          maxMessageBytes());
      return true;
    }
    channel
        .writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)))
        .addListener(f -> {
          if (!f.isSuccess()) {
            log.debug(
                "Sending {} {} failed: {}",
                envelope.type().wireName(),
                envelope.id(),
                f.cause().toString());
          }
        });
    return true;
  }

  /**
   * The largest binary message (telemetry frame) this session may send, in bytes: the control
   * plane's {@code max_frame_bytes}.
   */
  public int maxFrameBytes() {
    return settings.maxFrameBytes();
  }

  /**
   * Sends one telemetry frame as a binary WebSocket message if the connection is up; returns false
   * if it is not. Callers bound what they have in flight themselves and watch {@link
   * #isWritable()}: this never refuses for backpressure. A frame larger than {@link
   * #maxFrameBytes()} is dropped, logged and counted, and this returns true (the control plane
   * would close the connection on it); the telemetry buffer never seals such a frame.
   *
   * @param frame the encoded frame; not modified, and not to be modified until written
   */
  public boolean sendBinary(byte[] frame) {
    if (!channel.isActive()) {
      return false;
    }
    if (frame.length > maxFrameBytes()) {
      oversizedDropped.run();
      log.error(
          "Not sending a {}-byte telemetry frame: more than the {}-byte frame limit of the"
              + " control plane",
          frame.length,
          maxFrameBytes());
      return true;
    }
    channel
        .writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)))
        .addListener(f -> {
          if (!f.isSuccess()) {
            log.debug("Sending a telemetry frame failed: {}", f.cause().toString());
          }
        });
    return true;
  }

  /**
   * Whether the connection's outbound buffer has room (Netty's write-buffer high-water mark not
   * reached). Senders of bulk data stop while it is false and resume on {@link #onWritable}.
   */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /**
   * Runs {@code listener} (on the link's thread; it must be quick) each time the connection becomes
   * writable again. One listener per session; a later call replaces it.
   */
  public void onWritable(Runnable listener) {
    this.writable = listener;
  }

  /** Called by the link when the channel's writability changed to writable. */
  void writable() {
    try {
      writable.run();
    } catch (RuntimeException e) {
      log.warn("A writability listener failed: {}", e.toString());
    }
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** The settings from {@code hello_ok}. */
  public SessionSettings settings() {
    return settings;
  }

  public Instant openedAt() {
    return openedAt;
  }

  /** Closes the connection; the link reconnects. */
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "Session[" + channel.remoteAddress() + ", openedAt=" + openedAt + "]";
  }
}
