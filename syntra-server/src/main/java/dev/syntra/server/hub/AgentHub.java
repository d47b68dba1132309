package dev.syntra.server.hub;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.server.api.ConnectionLimiter;
import dev.syntra.server.command.AgentCommands;
import dev.syntra.server.command.AgentReportListener;
import dev.syntra.server.command.CommandDelivery;
import dev.syntra.server.fleet.AgentLinks;
import dev.syntra.server.fleet.AgentRef;
import dev.syntra.server.fleet.AgentRegistry;
import dev.syntra.server.fleet.HubEndpoint;
import dev.syntra.server.telemetry.TelemetryIngest;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The agent hub: a Netty WebSocket server ({@code wss://<host>:7443/agent/v1}) that agents keep one
 * outbound connection to. It authenticates them ({@link AgentRegistry}), records heartbeats, marks
 * servers offline when heartbeats stop, delivers queued commands ({@link CommandDelivery}) as soon
 * as an agent is connected, hands agent reports to {@link AgentReportListener}s, and telemetry
 * frames to the {@link TelemetryIngest}.
 *
 * <p>Database work runs on a small bounded worker pool, never on the I/O threads; each session's
 * work stays in order ({@link SerialExecutor}).
 */
@Component
public class AgentHub implements SmartLifecycle, AgentLinks {
  private static final Logger log = LoggerFactory.getLogger(AgentHub.class);

  /** The WebSocket path agents connect to. */
  public static final String PATH = HubEndpoint.PATH;

  private final HubSettings settings;
  private final HubTls tls;
  private final AgentRegistry registry;
  private final CommandDelivery delivery;
  private final TelemetryIngest ingest;
  private final Clock clock;
  private final MessageCodec codec;
  private final HubMetrics metrics;
  private final HelloLimiter helloLimiter;
  private final ConnectionLimiter connections;
  private final WebSocketServerProtocolConfig webSocketConfig;
  private final SessionSettings sessionSettings;
  private final ConcurrentHashMap<UUID, AgentSession> sessions = new ConcurrentHashMap<>();

  private @Nullable EventLoopGroup bossGroup;
  private @Nullable EventLoopGroup ioGroup;
  private @Nullable ThreadPoolExecutor workers;
  private @Nullable ScheduledExecutorService timer;
  private @Nullable Channel serverChannel;
  private volatile int port = -1;

  AgentHub(
      HubSettings settings,
      HubTls tls,
      AgentRegistry registry,
      CommandDelivery delivery,
      AgentCommands commands,
      TelemetryIngest ingest,
      Clock clock,
      MeterRegistry meters) {
    this.settings = settings;
    this.tls = tls;
    this.registry = registry;
    this.delivery = delivery;
    this.ingest = ingest;
    this.clock = clock;
    this.codec = MessageCodec.create(settings.maxFrameBytes());
    this.metrics = new HubMetrics(meters, sessions::size);
    this.helloLimiter = new HelloLimiter(clock, settings.helloFailuresPerMinute());
    this.connections =
        new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerAddress());
    // Until hello_ok a peer is unauthenticated: it may only send small frames and messages.
    this.webSocketConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .maxFramePayloadLength(settings.helloMaxBytes())
            .handshakeTimeoutMillis(settings.helloTimeout().toMillis())
            .build();
    this.sessionSettings =
        new SessionSettings(
            settings.heartbeatInterval(),
            SessionSettings.DEFAULTS.traceSampleRatio(),
            SessionSettings.DEFAULTS.bufferMaxBytes(),
            SessionSettings.DEFAULTS.batchMaxEvents(),
            SessionSettings.DEFAULTS.batchMaxDelay(),
            settings.maxFrameBytes());
    commands.onWake(this::wake);
  }

  @Override
  public synchronized void start() {
    if (!settings.enabled() || isRunning()) {
      return;
    }
    workers =
        new ThreadPoolExecutor(
            4,
            4,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(20_000),
            Thread.ofPlatform().name("syntra-hub-worker-", 0).daemon().factory());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("syntra-hub-timer").daemon().factory());
    bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ioGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    ThreadPoolExecutor pool = workers;
    Optional<SslContext> ssl = tls.context();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, ioGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (!admit(ch)) {
                      return;
                    }
                    ChannelPipeline p = ch.pipeline();
                    tls.context().ifPresent(context -> p.addLast(context.newHandler(ch.alloc())));
                    p.addLast(new HttpServerCodec(4096, 8192, 8192));
                    p.addLast(new HttpObjectAggregator(8192));
                    p.addLast(new WebSocketServerProtocolHandler(webSocketConfig));
                    // A message may arrive in fragments: join them (bounded) before decoding.
                    p.addLast(new WebSocketFrameAggregator(settings.helloMaxBytes()));
                    p.addLast(
                        new IdleStateHandler(
                            settings.offlineAfter().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                    p.addLast(new AgentSession(AgentHub.this, new SerialExecutor(pool, 256)));
                  }
                });
    try {
      serverChannel =
          bootstrap.bind(settings.bindAddress(), settings.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      stopGroups();
      throw new IllegalStateException(
          "cannot listen for agents on "
              + settings.bindAddress()
              + ":"
              + settings.port()
              + " (SYNTRA_HUB_BIND / SYNTRA_HUB_PORT): "
              + e.getMessage(),
          e);
    }
    port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    long sweep = Math.max(250, Math.min(10_000, settings.offlineAfter().toMillis() / 3));
    timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::pollQueued, 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::renewCertificate, 1, 1, TimeUnit.DAYS);
    log.info(
        "agent hub listening on {}://{}:{}{}",
        ssl.isPresent() ? "wss" : "ws",
        settings.bindAddress(),
        port,
        PATH);
  }

  /**
   * Counts a new connection against the per-address and total caps, or closes it at once (before
   * any TLS work) and counts the refusal.
   */
  private boolean admit(SocketChannel ch) {
    InetAddress address = ch.remoteAddress().getAddress();
    ConnectionLimiter.Verdict verdict = connections.admit(address);
    if (verdict != ConnectionLimiter.Verdict.ADMITTED) {
      metrics.refused(verdict.label());
      ch.close();
      return false;
    }
    ch.closeFuture().addListener(closed -> connections.release(address));
    return true;
  }

  /**
   * Lifts the pre-hello frame and message limit of an authenticated link to {@link
   * HubSettings#maxFrameBytes()}. Runs on the link's event loop, so it takes effect before anything
   * written after this call (the {@code hello_ok}) reaches the agent.
   */
  void openFrameLimit(Channel ch) {
    ch.eventLoop()
        .execute(() -> {
          ChannelPipeline p = ch.pipeline();
          ChannelHandlerContext decoder = p.context(WebSocketFrameDecoder.class);
          if (decoder != null) {
            WebSocketDecoderConfig config =
                webSocketConfig.decoderConfig().toBuilder()
                    .maxFramePayloadLength(settings.maxFrameBytes())
                    .build();
            p.replace(decoder.name(), decoder.name(), new WebSocket13FrameDecoder(config));
          }
          ChannelHandlerContext aggregator = p.context(WebSocketFrameAggregator.class);
          if (aggregator != null) {
            p.replace(
                aggregator.name(),
                aggregator.name(),
                new WebSocketFrameAggregator(settings.maxFrameBytes()));
          }
        });
  }

  @Override
  public synchronized void stop() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      serverChannel = null;
    }
    new ArrayList<>(sessions.values()).forEach(AgentSession::close);
    stopGroups();
    port = -1;
  }

  private void stopGroups() {
    if (timer != null) {
      timer.shutdownNow();
    }
    for (EventLoopGroup group : new EventLoopGroup[] {bossGroup, ioGroup}) {
      if (group != null) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
    if (workers != null) {
      workers.shutdown();
      try {
        workers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    bossGroup = null;
    ioGroup = null;
    workers = null;
    timer = null;
  }

  @Override
  public boolean isRunning() {
    return serverChannel != null;
  }

  /** The port the hub listens on (useful with {@code SYNTRA_HUB_PORT=0}); -1 when stopped. */
  public int port() {
    return port;
  }

  /** The URL agents connect to on this machine, e.g. {@code wss://127.0.0.1:7443/agent/v1}. */
  public String localUrl() {
    return (tls.context().isPresent() ? "wss" : "ws") + "://127.0.0.1:" + port + PATH;
  }

  /** Whether the agent of {@code serverId} is connected to this hub now. */
  public boolean connected(UUID serverId) {
    return sessions.containsKey(serverId);
  }

  void opened(AgentSession session) {
    AgentRef ref = session.ref();
    if (ref != null) {
      AgentSession previous = sessions.put(ref.serverId(), session);
      if (previous != null && previous != session) {
        log.info("server {}: a new link replaces the previous one", ref.serverId());
        previous.close();
      }
    }
  }

  /** Forgets a closed session; true if it was the server's current one. */
  boolean closed(AgentSession session) {
    AgentRef ref = session.ref();
    return ref != null && sessions.remove(ref.serverId(), session);
  }

  /** Delivers queued commands of {@code serverId} now, if its agent is connected here. */
  void wake(UUID serverId) {
    AgentSession session = sessions.get(serverId);
    if (session != null) {
      session.deliver(false);
    }
  }

  private void pollQueued() {
    try {
      for (AgentRef ref : delivery.serversWithQueued(List.copyOf(sessions.keySet()))) {
        wake(ref.serverId());
      }
    } catch (RuntimeException e) {
      log.warn("agent hub: polling queued commands failed: {}", e.toString());
    }
  }

  private void renewCertificate() {
    try {
      tls.renewIfNeeded();
    } catch (Exception e) {
      log.error("agent hub: renewing the TLS certificate failed: {}", e.toString());
    }
  }

  /**
   * Closes this hub's link of {@code serverId} if the server's row names another one: its agent
   * opened a new link, here or on another instance.
   */
  void linkChanged(UUID serverId) {
    ScheduledExecutorService t = timer;
    if (sessions.get(serverId) == null || t == null) {
      return;
    }
    try {
      // The check queries the database: not on the notification thread, which must stay quick.
      t.execute(() -> closeIfReplaced(serverId));
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void closeIfReplaced(UUID serverId) {
    try {
      AgentSession session = sessions.get(serverId);
      AgentRef ref = session == null ? null : session.ref();
      UUID link = session == null ? null : session.link();
      if (ref != null && link != null && !registry.isCurrentLink(ref, link)) {
        log.info("server {}: its agent opened a new link; closing the old one here", serverId);
        session.close();
      }
    } catch (RuntimeException e) {
      log.warn("server {}: could not check its agent's current link: {}", serverId, e.toString());
    }
  }

  /** Closes the link of {@code serverId}'s agent, if connected here (its server was deleted). */
  @Override
  public void disconnect(UUID serverId) {
    AgentSession session = sessions.get(serverId);
    if (session != null) {
      session.close();
    }
  }

  private void sweep() {
    try {
      Duration offlineAfter = settings.offlineAfter();
      for (AgentRef ref : registry.markStale(offlineAfter)) {
        log.info("server {}: no heartbeat for {}, marked offline", ref.serverId(), offlineAfter);
        AgentSession session = sessions.get(ref.serverId());
        if (session != null) {
          metrics.dropped("heartbeat_timeout");
          session.close();
        }
      }
    } catch (RuntimeException e) {
      log.warn("agent hub: liveness sweep failed: {}", e.toString());
    }
  }

  HubSettings settings() {
    return settings;
  }

  AgentRegistry registry() {
    return registry;
  }

  CommandDelivery delivery() {
    return delivery;
  }

  Clock clock() {
    return clock;
  }

  TelemetryIngest ingest() {
    return ingest;
  }

  MessageCodec codec() {
    return codec;
  }

  HubMetrics metrics() {
    return metrics;
  }

  HelloLimiter helloLimiter() {
    return helloLimiter;
  }

  SessionSettings sessionSettings() {
    return sessionSettings;
  }
}
