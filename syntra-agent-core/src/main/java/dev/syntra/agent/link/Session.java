package dev.syntra.agent.link;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.SessionSettings;
import io.netty.channel.Channel;
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

  Session(Channel channel, MessageCodec codec, SessionSettings settings, Instant openedAt) {
    this.channel = channel;
    this.codec = codec;
    this.settings = settings;
    this.openedAt = openedAt;
  }

  /**
   * Sends {@code envelope} if the connection is up. Returns false if it is not; a message accepted
   * here may still be lost if the connection drops before it leaves the machine.
   */
  public boolean send(Envelope envelope) {
    if (!channel.isActive()) {
      return false;
    }
    String text = codec.encode(envelope);
    channel
        .writeAndFlush(new TextWebSocketFrame(text))
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
