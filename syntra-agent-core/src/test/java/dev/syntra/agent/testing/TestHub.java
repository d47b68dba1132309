package dev.syntra.agent.testing;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.protocol.security.TokenFormat;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A minimal control-plane hub on 127.0.0.1 speaking the real protocol over a real Netty WebSocket
 * (plain or TLS). It answers {@code agent_hello} (registering new agents with a fresh credential),
 * records everything the agent sends, and lets a test send any message to the connected agent.
 */
public final class TestHub implements AutoCloseable {
  public static final String AGENT_ID = "agt_test01";
  public static final String SERVER_ID = "srv_test01";

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final MessageCodec codec = MessageCodec.create(4 << 20);
  private final Clock clock = Clock.systemUTC();
  private final Channel server;
  private final boolean tls;
  public final List<Envelope> received = new CopyOnWriteArrayList<>();
  public final List<String> rawReceived = new CopyOnWriteArrayList<>();
  public final List<AgentHello> hellos = new CopyOnWriteArrayList<>();
  public final List<String> issuedCredentials = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();

  /** Binary messages (telemetry frames) received, in order, over every connection. */
  public final List<byte[]> frames = new CopyOnWriteArrayList<>();

  /** Runs for each binary message received (on the hub's I/O thread); default: nothing. */
  public volatile java.util.function.Consumer<byte[]> onFrame = frame -> {};

  public volatile SessionSettings settings =
      new SessionSettings(
          Duration.ofSeconds(60), 0.1, 50L << 20, 1000, Duration.ofSeconds(5), 4 << 20);

  /** Answers a hello; default: register or accept. Return null to stay silent. */
  public volatile BiFunction<Envelope, AgentHello, @Nullable Message> helloAnswer = this::accept;

  private volatile @Nullable Channel current;

  private TestHub(@Nullable SslContext ssl) throws InterruptedException {
    this.tls = ssl != null;
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(
                            new WebSocketServerProtocolHandler("/agent/v1", null, false, 4 << 20))
                        .addLast(new WebSocketFrameAggregator(4 << 20))
                        .addLast(new BinaryHandler())
                        .addLast(new Handler());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  public static TestHub plain() throws InterruptedException {
    return new TestHub(null);
  }

  public static TestHub tls(KeyManagerFactory keys) throws Exception {
    return new TestHub(SslContextBuilder.forServer(keys).build());
  }

  public URI uri() {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port + "/agent/v1");
  }

  /** Sends {@code payload} in a fresh envelope with the given id (a command id). */
  public Envelope send(String id, Message payload) {
    Envelope envelope =
        new Envelope(
            1, id, clock.instant(), dev.syntra.protocol.security.SecureIds.nonce(), null, payload);
    send(envelope);
    return envelope;
  }

  public void send(Envelope envelope) {
    sendRaw(codec.encode(envelope));
  }

  public void sendRaw(String text) {
    Channel channel = current;
    if (channel == null) {
      throw new IllegalStateException("no agent connected");
    }
    channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
  }

  public boolean connected() {
    Channel channel = current;
    return channel != null && channel.isActive();
  }

  /** Closes the agent's connection abruptly. */
  public void dropConnection() {
    Channel channel = current;
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
  }

  public List<Envelope> messages(MessageType type) {
    return received.stream().filter(e -> e.type() == type).toList();
  }

  /** Messages of {@code type} answering {@code commandId}. */
  public List<Envelope> replies(MessageType type, String commandId) {
    return received.stream()
        .filter(e -> e.type() == type && commandId.equals(e.replyTo()))
        .toList();
  }

  private @Nullable Message accept(Envelope envelope, AgentHello hello) {
    String credential = null;
    if (hello.agentId() == null) {
      credential = TokenFormat.AGENT.generate(new SecureRandom());
      issuedCredentials.add(credential);
    }
    return new HelloOk(AGENT_ID, SERVER_ID, Instant.now(), settings, credential, null);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class BinaryHandler extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
      byte[] bytes = ByteBufUtil.getBytes(frame.content());
      frames.add(bytes);
      onFrame.accept(bytes);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        connections.incrementAndGet();
        current = ctx.channel();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      byte[] bytes = ByteBufUtil.getBytes(frame.content());
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      rawReceived.add(text);
      Envelope envelope = codec.decode(bytes);
      received.add(envelope);
      if (envelope.payload() instanceof AgentHello hello) {
        hellos.add(hello);
        Message answer = helloAnswer.apply(envelope, hello);
        if (answer != null) {
          ctx.writeAndFlush(
              new TextWebSocketFrame(codec.encode(Envelope.replyTo(envelope, answer, clock))));
          if (answer.type() == MessageType.HELLO_REJECTED) {
            ctx.close();
          }
        }
      }
    }
  }
}
