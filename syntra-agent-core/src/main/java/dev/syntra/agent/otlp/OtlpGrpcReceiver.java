package dev.syntra.agent.otlp;

import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC receiver: the trace, logs and metrics {@code Export} services of the OTLP specification
 * on one port (default 127.0.0.1:4317), over grpc-netty with small event loops (one boss thread,
 * {@link OtlpGrpcSettings#eventLoopThreads()} workers, calls run on them).
 *
 * <p>Answers: OK with {@code partial_success} when items were invalid or rejected; {@code
 * INVALID_ARGUMENT} when every item of a request is invalid or it cannot be parsed; {@code
 * RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo} detail when the intake refuses; {@code
 * RESOURCE_EXHAUSTED} from gRPC itself for messages over {@link OtlpGrpcSettings#maxMessageBytes()}
 * (after gzip decompression). Connections beyond {@link OtlpGrpcSettings#maxConnections()} are
 * closed on accept. {@link #close()} stops accepting, waits up to 5 s for calls in flight and is
 * idempotent.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcReceiver.class);

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final OtlpCounters counters;
  private final AtomicInteger connections;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OtlpGrpcReceiver(
      Server server,
      EventLoopGroup boss,
      EventLoopGroup workers,
      OtlpCounters counters,
      AtomicInteger connections) {
    this.server = server;
    this.boss = boss;
    this.workers = workers;
    this.counters = counters;
    this.connections = connections;
  }

  /**
   * Binds and starts serving. Fails fast with an {@link UncheckedIOException} naming the address
   * when the port cannot be bound.
   */
  public static OtlpGrpcReceiver start(
      OtlpGrpcSettings settings, TelemetryIntake intake, OtlpCounters counters) {
    OtlpIngest ingest = new OtlpIngest(intake, counters);
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("syntra-otlp-grpc-boss", true), NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            settings.eventLoopThreads(),
            new DefaultThreadFactory("syntra-otlp-grpc", true),
            NioIoHandler.newFactory());
    InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
    AtomicInteger connections = new AtomicInteger();
    ChannelHandler limit = connectionLimit(settings.maxConnections(), connections);
    Server server =
        NettyServerBuilder.forAddress(address)
            .channelFactory(() -> {
              NioServerSocketChannel channel = new NioServerSocketChannel();
              channel.pipeline().addLast(limit); // before the acceptor gRPC adds on bind
              return channel;
            })
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            // Calls are short and never block: run them on the event loop, no extra pool.
            .directExecutor()
            .maxInboundMessageSize(settings.maxMessageBytes())
            .maxInboundMetadataSize(64 << 10)
            .maxConcurrentCallsPerConnection(settings.maxConcurrentCallsPerConnection())
            .maxConnectionIdle(settings.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .addService(OtlpGrpcServices.traces(ingest))
            .addService(OtlpGrpcServices.logs(ingest))
            .addService(OtlpGrpcServices.metrics(ingest))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new UncheckedIOException(
          "OTLP/gRPC receiver cannot listen on " + settings.bindAddress() + ":" + settings.port(),
          e);
    }
    LOG.info("OTLP/gRPC receiver listening on {}", server.getListenSockets());
    return new OtlpGrpcReceiver(server, boss, workers, counters, connections);
  }

  /**
   * Closes accepted connections beyond {@code max} before gRPC sets them up (grpc-netty has no such
   * option): runs on the listening channel, which hands on each accepted channel as a message.
   */
  private static ChannelHandler connectionLimit(int max, AtomicInteger connections) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public boolean isSharable() {
        return true;
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (connections.incrementAndGet() > max) {
          connections.decrementAndGet();
          child.unsafe().closeForcibly(); // not registered yet: nothing else to undo
          return;
        }
        child.closeFuture().addListener(f -> connections.decrementAndGet());
        ctx.fireChannelRead(child);
      }
    };
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().getFirst();
  }

  public int port() {
    return server.getPort();
  }

  public OtlpCounters counters() {
    return counters;
  }

  /** Connections open now. */
  public int openConnections() {
    return connections.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public String toString() {
    return "OtlpGrpcReceiver" + server.getListenSockets();
  }
}
