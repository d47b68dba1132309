package dev.syntra.agent.link;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.protocol.security.ReplayGuard;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol state machine: sends {@code agent_hello} once the WebSocket is up,
 * checks every server message (decoding, direction, replay window), opens the session on {@code
 * hello_ok}, and routes commands to the {@link LinkListener}. Event-loop confined.
 */
final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  private final ControlLink link;
  private @Nullable Session session;
  private @Nullable String helloId;
  private @Nullable ScheduledFuture<?> pinger;
  private @Nullable ScheduledFuture<?> helloTimeout;

  SessionHandler(ControlLink link) {
    this.link = link;
  }

  /** Sends a close frame, then closes the channel. */
  static void closeGracefully(Channel channel) {
    channel
        .writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
        .addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      sendHello(ctx);
    } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      link.recordError("the WebSocket upgrade to " + link.config().endpoint() + " timed out");
      ctx.close();
    } else if (event instanceof IdleStateEvent) {
      link.recordError(
          "no data from the control plane for "
              + link.config().idleTimeout().toSeconds()
              + " s; treating the link as dead");
      ctx.close();
    }
    super.userEventTriggered(ctx, event);
  }

  private void sendHello(ChannelHandlerContext ctx) {
    Envelope hello;
    try {
      hello = Envelope.of(link.listener().hello(), link.clock());
    } catch (RuntimeException e) {
      link.recordError("cannot build agent_hello: " + e.getMessage());
      ctx.close();
      return;
    }
    helloId = hello.id();
    write(ctx, hello);
    Duration interval = link.config().pingInterval();
    pinger =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> ctx.writeAndFlush(new PingWebSocketFrame()),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    helloTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  link.recordError(
                      "no answer to agent_hello within "
                          + link.config().helloTimeout().toSeconds()
                          + " s");
                  ctx.close();
                },
                link.config().helloTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      onText(ctx, ByteBufUtil.getBytes(text.content()));
    } else if (!(frame instanceof PingWebSocketFrame)) {
      log.debug("Ignoring a {} from the control plane", frame.getClass().getSimpleName());
    }
  }

  private void onText(ChannelHandlerContext ctx, byte[] bytes) {
    Envelope envelope;
    try {
      envelope = link.codec().decode(bytes);
    } catch (ProtocolException e) {
      if (session == null) {
        closeBeforeHelloOk(ctx, "an undecodable message (" + e.getMessage() + ")");
        return;
      }
      log.warn("Refusing an undecodable message from the control plane: {}", e.getMessage());
      write(ctx, link.codec().errorReply(bytes, e, link.clock()));
      return;
    }
    if (envelope.type().sender() == MessageType.Sender.AGENT) {
      refuse(
          ctx,
          envelope,
          ProtocolErrorCode.NOT_ALLOWED,
          envelope.type().wireName() + " is sent by agents, not by the control plane");
      return;
    }
    ReplayGuard.Verdict verdict = link.replayGuard().check(envelope.ts(), envelope.nonce());
    if (!verdict.isAccepted()) {
      link.countReplayRefused();
      String why = replayReason(verdict, envelope);
      log.warn("Refusing {} {}: {}", envelope.type().wireName(), envelope.id(), why);
      refuse(ctx, envelope, ProtocolErrorCode.REPLAYED, why);
      return;
    }
    switch (envelope.payload()) {
      case HelloOk ok -> onHelloOk(ctx, envelope, ok);
      case HelloRejected rejected -> {
        cancelHelloTimeout();
        link.rejected(rejected);
        ctx.close();
      }
      case Command command -> {
        if (session == null) {
          refuse(ctx, envelope, ProtocolErrorCode.NOT_ALLOWED, "command before hello_ok");
        } else {
          link.listener().onCommand(session, envelope);
        }
      }
      case TelemetryAck ack -> {
        Session open = session;
        if (open == null) {
          refuse(ctx, envelope, ProtocolErrorCode.NOT_ALLOWED, "telemetry_ack before hello_ok");
        } else {
          notifyListener(() -> link.listener().onTelemetryAck(open, ack));
        }
      }
      case Throttle throttle -> {
        Session open = session;
        if (open == null) {
          refuse(ctx, envelope, ProtocolErrorCode.NOT_ALLOWED, "throttle before hello_ok");
        } else {
          notifyListener(() -> link.listener().onThrottle(open, throttle));
        }
      }
      case ProtocolError error ->
          log.warn(
              "The control plane refused message {}: {} {}{}",
              envelope.replyTo(),
              error.code(),
              error.message(),
              error.path() == null ? "" : " at " + error.path());
      default ->
          refuse(
              ctx,
              envelope,
              ProtocolErrorCode.NOT_ALLOWED,
              envelope.type().wireName() + " is not expected from the control plane");
    }
  }

  private void onHelloOk(ChannelHandlerContext ctx, Envelope envelope, HelloOk ok) {
    if (session != null || helloId == null) {
      refuse(ctx, envelope, ProtocolErrorCode.NOT_ALLOWED, "the session is already open");
      return;
    }
    if (!helloId.equals(envelope.replyTo())) {
      closeBeforeHelloOk(
          ctx,
          "a hello_ok whose reply_to "
              + envelope.replyTo()
              + " is not the id of this connection's agent_hello ("
              + helloId
              + ")");
      return;
    }
    cancelHelloTimeout();
    Duration skew = Duration.between(link.now(), ok.serverTime()).abs();
    if (skew.compareTo(Duration.ofMinutes(1)) > 0) {
      log.warn(
          "This machine's clock differs from the control plane's by {} s; messages are refused"
              + " beyond 5 minutes. Enable NTP.",
          skew.toSeconds());
    }
    Session opened =
        new Session(
            ctx.channel(), link.codec(), ok.settings(), link.now(), link::countOversizedDropped);
    // Connected before the listener runs, so the status it writes says so.
    link.sessionOpened();
    try {
      link.listener().onSessionOpened(opened, ok);
    } catch (Exception e) {
      link.sessionEnded(Duration.ZERO);
      link.recordError("cannot open the session: " + e.getMessage());
      link.stop(
          new LinkTermination(LinkTermination.Kind.FAILED, String.valueOf(e.getMessage()), null));
      return;
    }
    session = opened;
    log.info("Connected to the control plane as agent {} (server {})", ok.agentId(), ok.serverId());
  }

  /** Telemetry events must not break the link: a failing listener is logged, not propagated. */
  private static void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("Telemetry event handling failed: {}", e.toString());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    Session open = session;
    if (open != null && ctx.channel().isWritable()) {
      open.writable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.cancel(false);
    }
    cancelHelloTimeout();
    Session ended = session;
    if (ended != null) {
      session = null;
      link.sessionEnded(Duration.between(ended.openedAt(), link.now()));
      try {
        link.listener().onSessionClosed(ended);
      } catch (RuntimeException e) {
        log.warn("Session close handling failed", e);
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    link.recordError(ControlLink.describe(cause));
    ctx.close();
  }

  private void cancelHelloTimeout() {
    if (helloTimeout != null) {
      helloTimeout.cancel(false);
      helloTimeout = null;
    }
  }

  /**
   * Answers {@code envelope} with {@code error}; before {@code hello_ok} the agent may send nothing
   * but its hello (PROTOCOL §1.3), so it closes the connection instead and reconnects.
   */
  private void refuse(
      ChannelHandlerContext ctx, Envelope envelope, ProtocolErrorCode code, String why) {
    if (session == null) {
      closeBeforeHelloOk(
          ctx,
          envelope.type().wireName()
              + " "
              + envelope.id()
              + " ("
              + code.wireName()
              + ": "
              + why
              + ")");
      return;
    }
    write(
        ctx,
        Envelope.replyTo(envelope, new ProtocolError(code.wireName(), why, null), link.clock()));
  }

  private void closeBeforeHelloOk(ChannelHandlerContext ctx, String what) {
    String message =
        "protocol error before the session opened: the control plane sent "
            + what
            + "; closing the connection and reconnecting";
    log.warn("{}", message);
    cancelHelloTimeout();
    link.recordError(message);
    ctx.close();
  }

  private void write(ChannelHandlerContext ctx, Envelope envelope) {
    ctx.writeAndFlush(new TextWebSocketFrame(link.codec().encode(envelope)));
  }

  private static String replayReason(ReplayGuard.Verdict verdict, Envelope envelope) {
    return switch (verdict) {
      case STALE -> "message timestamp " + envelope.ts() + " is outside the replay window (stale)";
      case FUTURE -> "message timestamp " + envelope.ts() + " is too far in the future";
      case REPLAYED -> "nonce " + envelope.nonce() + " was already used (replayed)";
      case ACCEPTED -> "accepted";
    };
  }
}
