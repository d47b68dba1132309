package dev.syntra.server.hub;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Alert;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.LogChunk;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.ServerMessage;
import dev.syntra.protocol.security.ReplayGuard;
import dev.syntra.server.fleet.AgentRef;
import dev.syntra.server.fleet.AgentRegistry;
import dev.syntra.server.telemetry.IngestLane;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connection: enforces the session rules of the protocol (hello first and within the
 * hello timeout, replay window, allowed message types), hands database work to the session's {@link
 * SerialExecutor} so it never runs on the I/O thread, and answers what it cannot accept with {@code
 * error}.
 */
final class AgentSession extends SimpleChannelInboundHandler<Object> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

  private enum State {
    AWAITING_HELLO,
    AUTHENTICATING,
    OPEN,
    CLOSED
  }

  private final AgentHub hub;
  private final SerialExecutor serial;
  private final ReplayGuard guard;
  private volatile State state = State.AWAITING_HELLO;
  private volatile @Nullable AgentRef ref;
  private volatile @Nullable UUID link;
  private volatile @Nullable IngestLane telemetry;
  private @Nullable Channel channel;
  private @Nullable ScheduledFuture<?> helloTimeout;

  AgentSession(AgentHub hub, SerialExecutor serial) {
    this.hub = hub;
    this.serial = serial;
    this.guard = new ReplayGuard(hub.clock(), ReplayGuard.DEFAULT_WINDOW, 4096);
  }

  @Nullable AgentRef ref() {
    return ref;
  }

  /** This session's link id once open (see {@link AgentRegistry.Accepted#link()}). */
  @Nullable UUID link() {
    return link;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    helloTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (state != State.OPEN) {
                    hub.metrics().dropped("hello_timeout");
                    ctx.close();
                  }
                },
                hub.settings().helloTimeout().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    switch (msg) {
      case TextWebSocketFrame text -> onText(ByteBufUtil.getBytes(text.content()));
      case BinaryWebSocketFrame binary -> {
        IngestLane lane = telemetry;
        if (state == State.OPEN && lane != null) {
          lane.offer(ByteBufUtil.getBytes(binary.content()));
        } else {
          refuse(null, ProtocolErrorCode.NOT_ALLOWED, "send agent_hello first");
        }
      }
      case FullHttpRequest request -> {
        var response =
            new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND);
        response.headers().set("content-length", 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
      default -> {}
    }
  }

  private void onText(byte[] json) {
    Envelope envelope;
    try {
      envelope = hub.codec().decode(json);
    } catch (ProtocolException e) {
      send(hub.codec().errorReply(json, e, hub.clock()));
      if (state == State.AWAITING_HELLO) {
        // An unreadable hello is a failed hello: it counts against the address like any other.
        hub.helloLimiter().failed(remoteAddress(), null);
        if (!hub.helloLimiter().allows(remoteAddress(), null)) {
          hub.metrics().hello("rate_limited");
          close();
        }
      }
      return;
    }
    if (!guard.check(envelope.ts(), envelope.nonce()).isAccepted()) {
      refuse(envelope, ProtocolErrorCode.REPLAYED, "stale, future-dated or replayed message");
      return;
    }
    Message payload = envelope.payload();
    switch (state) {
      case AWAITING_HELLO -> {
        if (payload instanceof AgentHello hello) {
          // Checked here, on the I/O thread: a refused hello costs no queue slot and no query.
          if (!hub.helloLimiter().allows(remoteAddress(), hello.agentId())) {
            rateLimited(envelope);
            return;
          }
          state = State.AUTHENTICATING;
          if (!serial.submit(() -> authenticate(envelope, hello))) {
            hub.metrics().dropped("busy");
            reject(envelope, HelloRejected.Reason.INTERNAL, "the hub is busy; retry later");
          }
        } else {
          refuse(envelope, ProtocolErrorCode.NOT_ALLOWED, "send agent_hello first");
        }
      }
      case AUTHENTICATING ->
          refuse(envelope, ProtocolErrorCode.NOT_ALLOWED, "wait for hello_ok before sending");
      case OPEN -> onSessionMessage(envelope, json);
      case CLOSED -> {}
    }
  }

  private void onSessionMessage(Envelope envelope, byte[] raw) {
    AgentRef agent = ref;
    switch (envelope.payload()) {
      case Heartbeat heartbeat -> {
        hub.metrics().heartbeat();
        String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
        if (!serial.submit(() -> hub.registry().heartbeat(agent, text))) {
          hub.metrics().dropped("heartbeat_backlog");
        }
      }
      case DeployStatus status -> {
        UUID command = commandId(envelope);
        if (command != null) {
          submitOrDisconnect(
              () -> hub.delivery().deployStatus(agent, command, envelope.ts(), status));
        }
      }
      case CommandResult result -> {
        UUID command = commandId(envelope);
        if (command == null) {
          return;
        }
        if (result.error() != null && result.error().code().equals("duplicate")) {
          // The agent already has this command; its real answer arrives on its own.
          return;
        }
        submitOrDisconnect(() -> hub.delivery().result(agent, command, result));
      }
      case Alert alert ->
          log.warn(
              "server {} alert {} ({}): {}",
              agent.serverId(),
              alert.kind(),
              alert.service(),
              alert.message());
      case LogChunk chunk -> hub.metrics().dropped("log_chunk_unrequested");
      case ProtocolError error ->
          log.warn(
              "server {} refused message {}: {} {}",
              agent.serverId(),
              envelope.replyTo(),
              error.code(),
              error.message());
      case AgentHello hello ->
          refuse(envelope, ProtocolErrorCode.NOT_ALLOWED, "the session is already open");
      default ->
          refuse(
              envelope,
              ProtocolErrorCode.NOT_ALLOWED,
              envelope.type().wireName() + " is sent by the server, not by agents");
    }
  }

  /**
   * Reports must not be lost silently: when the session's queue is full the link is closed, so the
   * agent reconnects and (the commands being unanswered) gets them redelivered and answers again.
   */
  private void submitOrDisconnect(Runnable task) {
    if (!serial.submit(task)) {
      hub.metrics().dropped("report_backlog");
      close();
    }
  }

  private @Nullable UUID commandId(Envelope envelope) {
    String replyTo = envelope.replyTo();
    try {
      if (replyTo != null) {
        return UUID.fromString(replyTo);
      }
    } catch (IllegalArgumentException notACommandId) {
      // refused below
    }
    refuse(
        envelope,
        ProtocolErrorCode.INVALID_FIELD,
        "reply_to must be the id of the command this answers");
    return null;
  }

  private void authenticate(Envelope helloEnvelope, AgentHello hello) {
    AgentRegistry.Outcome outcome;
    String address = remoteAddress();
    if (!active()) {
      return; // the link closed while the hello waited: register nothing nobody will hear of
    }
    try {
      outcome = hub.registry().authenticate(hello, address);
    } catch (RuntimeException e) {
      log.error("agent hello from {} failed", address, e);
      outcome = new AgentRegistry.Rejected(HelloRejected.Reason.INTERNAL, "retry later");
    }
    switch (outcome) {
      case AgentRegistry.Accepted accepted -> {
        hub.helloLimiter().succeeded(accepted.agentId());
        open(helloEnvelope, accepted);
      }
      case AgentRegistry.Rejected rejected -> {
        // Every failed hello counts: wrong registration tokens and wrong agent credentials alike.
        if (rejected.reason() != HelloRejected.Reason.INTERNAL) {
          hub.helloLimiter().failed(address, hello.agentId());
        }
        reject(helloEnvelope, rejected.reason(), rejected.message());
      }
    }
  }

  private void open(Envelope helloEnvelope, AgentRegistry.Accepted accepted) {
    synchronized (this) {
      if (state != State.AUTHENTICATING) {
        return; // closed meanwhile (hello timeout, peer gone)
      }
      ref = accepted.ref();
      link = accepted.link();
      // Frames are attributed to the authenticated server and its organization, nothing else.
      telemetry = hub.ingest().lane(accepted.ref(), this::sendTelemetryReply);
      state = State.OPEN;
    }
    ScheduledFuture<?> timeout = helloTimeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    hub.metrics().hello("accepted");
    Channel ch = channel;
    if (ch != null) {
      hub.openFrameLimit(ch); // queued on the event loop ahead of the hello_ok below
    }
    send(
        Envelope.replyTo(
            helloEnvelope,
            new HelloOk(
                accepted.agentId(),
                accepted.ref().serverId().toString(),
                hub.clock().instant(),
                hub.sessionSettings(),
                accepted.credential(),
                null),
            hub.clock()));
    hub.opened(this);
    if (!active()) {
      // The link dropped while opening: channelInactive may have run before opened(); undo.
      if (hub.closed(this)) {
        serial.submit(() -> hub.registry().markOffline(accepted.ref(), accepted.link()));
      }
      return;
    }
    deliver(true);
  }

  private boolean active() {
    Channel ch = channel;
    return ch != null && ch.isActive();
  }

  private void rateLimited(Envelope helloEnvelope) {
    hub.metrics().hello("rate_limited");
    send(
        Envelope.replyTo(
            helloEnvelope,
            new HelloRejected(
                HelloRejected.Reason.RATE_LIMITED,
                "too many failed attempts from this address",
                java.time.Duration.ofSeconds(60)),
            hub.clock()));
    close();
  }

  private void reject(Envelope helloEnvelope, HelloRejected.Reason reason, String message) {
    hub.metrics().hello(reason.wireName());
    send(Envelope.replyTo(helloEnvelope, new HelloRejected(reason, message, null), hub.clock()));
    close();
  }

  /** Sends this server's queued commands (and unanswered ones after a reconnect), in order. */
  void deliver(boolean allUnanswered) {
    AgentRef agent = ref;
    if (agent == null || state != State.OPEN) {
      return;
    }
    serial.submit(() -> {
      boolean unanswered = allUnanswered;
      while (state == State.OPEN) {
        var batch = hub.delivery().claim(agent, unanswered);
        batch.forEach(this::send);
        hub.metrics().commandsSent(batch.size());
        if (batch.size() < 100) {
          return;
        }
        unanswered = false;
      }
    });
  }

  private void sendTelemetryReply(ServerMessage message) {
    send(Envelope.of(message, hub.clock()));
  }

  void send(Envelope envelope) {
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(new TextWebSocketFrame(hub.codec().encode(envelope)));
    }
  }

  private void refuse(@Nullable Envelope envelope, ProtocolErrorCode code, String message) {
    ProtocolError error = new ProtocolError(code.wireName(), message, null);
    send(
        envelope == null
            ? Envelope.of(error, hub.clock())
            : Envelope.replyTo(envelope, error, hub.clock()));
  }

  /** Closes the link after what was written is flushed. */
  void close() {
    state = State.CLOSED;
    Channel ch = channel;
    if (ch != null) {
      ch.eventLoop()
          .execute(() ->
              ch.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                  .addListener(ChannelFutureListener.CLOSE));
    }
  }

  private String remoteAddress() {
    Channel ch = channel;
    if (ch != null && ch.remoteAddress() instanceof InetSocketAddress inet) {
      return inet.getAddress().getHostAddress();
    }
    return "unknown";
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      hub.metrics().dropped("idle_link");
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (this) {
      state = State.CLOSED;
    }
    IngestLane lane = telemetry;
    if (lane != null) {
      lane.close();
    }
    ScheduledFuture<?> timeout = helloTimeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    AgentRef agent = ref;
    UUID agentLink = link;
    if (agent != null && agentLink != null && hub.closed(this)) {
      serial.submit(() -> hub.registry().markOffline(agent, agentLink));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("agent link {} failed: {}", remoteAddress(), cause.toString());
    ctx.close();
  }
}
