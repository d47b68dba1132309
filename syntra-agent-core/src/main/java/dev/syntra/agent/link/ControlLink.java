package dev.syntra.agent.link;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.security.ReplayGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one outbound WebSocket to the control plane. Connects, sends {@code agent_hello},
 * hands sessions and commands to a {@link LinkListener}, and reconnects with {@link BackoffPolicy}
 * until the control plane refuses the agent's token or {@link #close()} is called.
 *
 * <p>Runs on one event-loop thread. Liveness: a WebSocket ping every {@code pingInterval}; the link
 * is dropped after {@code idleTimeout} without a byte from the server. Workloads are never touched
 * when the link is down.
 */
public final class ControlLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlLink.class);

  private final LinkConfig config;
  private final LinkListener listener;
  private final MessageCodec codec;
  private final ReplayGuard replayGuard;
  private final Clock clock;
  private final @Nullable SslContext sslContext;
  private final EventLoopGroup group;
  private final CompletableFuture<LinkTermination> termination = new CompletableFuture<>();
  private final AtomicLong replayRefused = new AtomicLong();
  private final AtomicLong oversizedDropped = new AtomicLong();

  // Event-loop confined.
  private int attempt;
  private @Nullable Duration nextDelay;
  private @Nullable Channel channel;
  private @Nullable LinkTermination stopping;

  private volatile LinkState state;

  public ControlLink(
      LinkConfig config,
      LinkListener listener,
      MessageCodec codec,
      ReplayGuard replayGuard,
      Clock clock) {
    this.config = config;
    this.listener = listener;
    this.codec = codec;
    this.replayGuard = replayGuard;
    this.clock = clock;
    this.sslContext = config.tls() ? sslContext(config) : null;
    this.state = new LinkState(false, clock.instant(), null);
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("syntra-link", true), NioIoHandler.newFactory());
  }

  /** Starts connecting; returns at once. */
  public void start() {
    group.execute(this::connect);
  }

  /** Completes when the link stops for good. */
  public CompletableFuture<LinkTermination> termination() {
    return termination;
  }

  public LinkState state() {
    return state;
  }

  /** Server messages refused as stale, future-dated or replayed. */
  public long replayRefused() {
    return replayRefused.get();
  }

  /**
   * Messages not sent because they were larger than the control plane accepts (the hub would close
   * the connection on them).
   */
  public long oversizedDropped() {
    return oversizedDropped.get();
  }

  /** Whether the link's thread runs tasks within {@code timeout} (a hang check for watchdogs). */
  public boolean responsive(Duration timeout) {
    if (group.isShuttingDown()) {
      return false;
    }
    return group.submit(() -> {}).awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the link for good with {@code why} (e.g. the agent cannot store its state). */
  public void stop(LinkTermination why) {
    group.execute(() -> stopWith(why));
  }

  /** Closes the connection (with a WebSocket close frame) and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    if (!group.isShuttingDown()) {
      group.execute(() -> stopWith(LinkTermination.closed()));
      termination.completeOnTimeout(LinkTermination.closed(), 3, TimeUnit.SECONDS).join();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  // ---- called by SessionHandler on the event loop ----

  MessageCodec codec() {
    return codec;
  }

  ReplayGuard replayGuard() {
    return replayGuard;
  }

  Clock clock() {
    return clock;
  }

  LinkConfig config() {
    return config;
  }

  LinkListener listener() {
    return listener;
  }

  void countReplayRefused() {
    replayRefused.incrementAndGet();
  }

  void countOversizedDropped() {
    oversizedDropped.incrementAndGet();
  }

  void sessionOpened() {
    state = new LinkState(true, clock.instant(), null);
  }

  void sessionEnded(Duration lasted) {
    state = new LinkState(false, clock.instant(), state.lastError());
    if (lasted.compareTo(config.stableSession()) >= 0) {
      attempt = 0;
    }
  }

  void recordError(String error) {
    log.warn("Control-plane link: {}", error);
    state = new LinkState(state.connected(), state.since(), error);
  }

  void rejected(HelloRejected rejected) {
    String text =
        "the control plane refused this agent: "
            + rejected.reason().wireName()
            + " ("
            + rejected.message()
            + ")";
    switch (rejected.reason()) {
      case INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_REUSED, AGENT_REVOKED, UNSUPPORTED_VERSION -> {
        log.error("{}. Not retrying: {}", text, remedy(rejected.reason()));
        recordError(text);
        stopWith(
            new LinkTermination(
                LinkTermination.Kind.REJECTED,
                text + ". " + remedy(rejected.reason()),
                rejected.reason()));
      }
      case RATE_LIMITED -> {
        recordError(text);
        nextDelay = rejected.retryAfter();
      }
      case INTERNAL -> recordError(text);
    }
  }

  // ---- connection lifecycle ----

  private void connect() {
    if (stopping != null) {
      return;
    }
    String host = config.endpoint().getHost();
    int port = config.port();
    log.info("Connecting to {}", config.endpoint());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initPipeline(ch, host, port);
                  }
                });
    ChannelFuture future = bootstrap.connect(host, port);
    channel = future.channel();
    future.addListener(f -> {
      if (!f.isSuccess()) {
        recordError("cannot connect to " + config.endpoint() + ": " + describe(f.cause()));
      }
    });
    future.channel().closeFuture().addListener(f -> onClosed());
  }

  private void initPipeline(SocketChannel ch, String host, int port) {
    ChannelPipeline p = ch.pipeline();
    // First, so that any byte from the server (pongs included) counts as a sign of life.
    p.addLast(new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    if (sslContext != null) {
      SslHandler ssl = sslContext.newHandler(ch.alloc(), host, port);
      ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
      p.addLast(ssl);
    }
    p.addLast(new HttpClientCodec());
    p.addLast(new HttpObjectAggregator(64 * 1024));
    p.addLast(
        new WebSocketClientProtocolHandler(
            WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.endpoint())
                .maxFramePayloadLength(config.maxMessageBytes())
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .build()));
    p.addLast(new WebSocketFrameAggregator(config.maxMessageBytes()));
    p.addLast(new SessionHandler(this));
  }

  private void onClosed() {
    channel = null;
    if (stopping != null) {
      termination.complete(stopping);
      return;
    }
    Duration delay = nextDelay;
    nextDelay = null;
    if (delay == null) {
      delay = config.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble());
      attempt = Math.min(attempt + 1, 30);
    }
    log.info("Reconnecting to the control plane in {} ms", delay.toMillis());
    group.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stopWith(LinkTermination why) {
    if (stopping != null) {
      return;
    }
    stopping = why;
    Channel current = channel;
    if (current != null && current.isOpen()) {
      SessionHandler.closeGracefully(current);
    } else {
      termination.complete(why);
    }
  }

  Instant now() {
    return clock.instant();
  }

  private static String remedy(HelloRejected.Reason reason) {
    return switch (reason) {
      case TOKEN_EXPIRED ->
          "create a new registration token in the dashboard and start the agent with it";
      case TOKEN_REUSED ->
          "this registration token was already used; create a new one, or restore the state"
              + " directory of the agent that used it";
      case AGENT_REVOKED ->
          "an administrator revoked this agent; delete its state directory and register again"
              + " with a new token";
      case UNSUPPORTED_VERSION -> "upgrade the agent to a version the control plane supports";
      default ->
          "check the registration token (--token-file, $SYNTRA_AGENT_TOKEN or the config file)";
    };
  }

  static String describe(Throwable t) {
    Throwable deepest = t;
    String message = t.getMessage();
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      deepest = c;
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message == null ? deepest.getClass().getSimpleName() : message;
  }

  private static SslContext sslContext(LinkConfig config) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (config.caSha256() != null) {
        builder.trustManager(new PinnedCaTrustManager(config.caSha256()));
        builder.endpointIdentificationAlgorithm(null);
      } else {
        builder.endpointIdentificationAlgorithm("HTTPS");
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ControlLink[endpoint="
        + config.endpoint()
        + ", pinned="
        + (config.caSha256() != null)
        + ", state="
        + state
        + "]";
  }
}
