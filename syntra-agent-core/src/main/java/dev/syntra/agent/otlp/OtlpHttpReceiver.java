package dev.syntra.agent.otlp;

import dev.syntra.telemetry.pipeline.TelemetryIntake;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
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
 * OTLP/HTTP receiver (default 127.0.0.1:4318): {@code POST /v1/traces}, {@code /v1/logs}, {@code
 * /v1/metrics} with {@code application/x-protobuf} or {@code application/json} bodies, {@code
 * Content-Encoding} gzip, zstd or identity; HTTP/1.1 with keep-alive.
 *
 * <p>Answers (OTLP/HTTP semantics, in the request's encoding): 200 with an {@code
 * Export*ServiceResponse} ({@code partial_success} when items were invalid or rejected); 400 with a
 * {@code google.rpc.Status} message for malformed or wholly invalid data; 404 unknown path; 405 not
 * POST; 413 body over {@link OtlpHttpSettings#maxBodyBytes()} (decompressed, enforced while
 * decompressing) or {@link OtlpHttpSettings#maxCompressedBodyBytes()} (as sent); 415 other content
 * type or encoding; 429 with {@code Retry-After} when the intake refuses. Nothing of a rejected or
 * refused request is handed on.
 *
 * <p>Runs on one boss and {@link OtlpHttpSettings#eventLoopThreads()} worker threads; requests are
 * decoded on the worker. {@link #close()} is idempotent and waits up to 2 s.
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpReceiver.class);

  private final Channel serverChannel;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final OtlpCounters counters;
  private final AtomicInteger connections;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OtlpHttpReceiver(
      Channel serverChannel,
      EventLoopGroup boss,
      EventLoopGroup workers,
      OtlpCounters counters,
      AtomicInteger connections) {
    this.serverChannel = serverChannel;
    this.boss = boss;
    this.workers = workers;
    this.counters = counters;
    this.connections = connections;
  }

  /** Binds and starts serving; an {@link UncheckedIOException} names the address it cannot bind. */
  public static OtlpHttpReceiver start(
      OtlpHttpSettings settings, TelemetryIntake intake, OtlpCounters counters) {
    HttpExport export = new HttpExport(new OtlpIngest(intake, counters), settings.maxBodyBytes());
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("syntra-otlp-http-boss", true), NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            settings.eventLoopThreads(),
            new DefaultThreadFactory("syntra-otlp-http", true),
            NioIoHandler.newFactory());
    AtomicInteger connections = new AtomicInteger();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer(settings, export, connections));
    try {
      Channel channel =
          bootstrap
              .bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
              .syncUninterruptibly()
              .channel();
      LOG.info("OTLP/HTTP receiver listening on {}", channel.localAddress());
      return new OtlpHttpReceiver(channel, boss, workers, counters, connections);
    } catch (Exception e) { // syncUninterruptibly rethrows the checked BindException as it is
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      String where = settings.bindAddress() + ":" + settings.port();
      throw new UncheckedIOException(
          "OTLP/HTTP receiver cannot listen on " + where,
          e instanceof IOException io ? io : new IOException(e.toString(), e));
    }
  }

  private static ChannelInitializer<SocketChannel> initializer(
      OtlpHttpSettings settings, HttpExport export, AtomicInteger connections) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (connections.incrementAndGet() > settings.maxConnections()) {
          connections.decrementAndGet();
          ch.close(); // over the limit: refuse at once, costing nothing
          return;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        ch.pipeline()
            .addLast(
                new IdleStateHandler(
                    settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
            .addLast(new RequestDeadline(settings.idleTimeout()))
            .addLast(
                new HttpServerCodec(
                    new HttpDecoderConfig()
                        .setMaxInitialLineLength(8192)
                        .setMaxHeaderSize(16384)
                        .setMaxChunkSize(64 << 10)))
            .addLast(new OtlpHttpHandler(export, settings));
      }
    };
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public int port() {
    return address().getPort();
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
    serverChannel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public String toString() {
    return "OtlpHttpReceiver[" + serverChannel.localAddress() + "]";
  }
}
