/*
 * Load driver for the agent hub: N simulated agents on loopback, each one WebSocket (TLS pinned to
 * the hub's CA), registering with its own registration token and then sending heartbeats. Bounded in
 * count and time; stops by itself. Run by run.sh (single-file program: java -cp <agent jar> HubLoad.java).
 *
 *   HubLoad --api http://127.0.0.1:PORT --token syn_pat_... --hub wss://127.0.0.1:PORT/agent/v1
 *           --ca FILE --server-pid PID [--agents 5000] [--duration 60] [--interval 10]
 *           [--concurrency 200] [--metrics-token TOKEN]
 */

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.SystemMetrics;
import dev.syntra.protocol.json.MessageCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

public final class HubLoad {
  static final MessageCodec CODEC = MessageCodec.create();
  static final Clock CLOCK = Clock.systemUTC();
  static final JsonMapper JSON = JsonMapper.builder().build();

  final Map<String, String> opts;
  final int agents;
  final Duration duration;
  final Duration interval;
  final Semaphore inFlight;
  final AtomicInteger registered = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicLong heartbeatsSent = new AtomicLong();
  final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
  volatile boolean stopping;

  HubLoad(Map<String, String> opts) {
    this.opts = opts;
    this.agents = Integer.parseInt(opts.getOrDefault("agents", "5000"));
    this.duration = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("duration", "60")));
    this.interval = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("interval", "10")));
    this.inFlight = new Semaphore(Integer.parseInt(opts.getOrDefault("concurrency", "200")));
    if (agents < 1 || agents > 50_000) {
      throw new IllegalArgumentException("--agents must be 1..50000");
    }
    if (duration.isNegative() || duration.toSeconds() > 1800) {
      throw new IllegalArgumentException("--duration must be 0..1800 s");
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String required : List.of("api", "token", "hub", "ca", "server-pid")) {
      if (!opts.containsKey(required)) {
        System.err.println("missing --" + required + " (see the header of HubLoad.java)");
        System.exit(2);
      }
    }
    new HubLoad(opts).run();
  }

  void run() throws Exception {
    long pid = Long.parseLong(opts.get("server-pid"));
    System.out.printf("agents=%d duration=%ds heartbeat interval=%ds%n", agents, duration.toSeconds(), interval.toSeconds());

    long t0 = System.nanoTime();
    List<String[]> tokens = createServers();
    double createSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("created %d servers in %.1f s (%.0f/s)%n", tokens.size(), createSeconds, tokens.size() / createSeconds);

    long heapBefore = heapAfterFullGc(pid);
    System.out.printf("server heap after full GC, no agents: %.1f MiB%n", heapBefore / 1048576.0);

    URI hub = URI.create(opts.get("hub"));
    SslContext ssl = hub.getScheme().equals("wss") ? sslContext(tokens.get(0)[1]) : null;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    List<Channel> channels = new ArrayList<>();
    try {
      long c0 = System.nanoTime();
      for (String[] token : tokens) {
        inFlight.acquire();
        Channel ch = connect(group, hub, ssl, token[0]);
        if (ch != null) {
          channels.add(ch);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (registered.get() + errorCount() < agents && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      double connectSeconds = (System.nanoTime() - c0) / 1e9;
      System.out.printf("registered %d of %d agents in %.1f s (%.0f registrations/s); errors %s%n",
          registered.get(), agents, connectSeconds, registered.get() / connectSeconds, errors);

      long heapWith = heapAfterFullGc(pid);
      double perConn = (heapWith - heapBefore) / (double) Math.max(1, registered.get());
      System.out.printf("server heap after full GC, %d agents connected: %.1f MiB -> %.0f bytes (%.1f KiB) per connection%n",
          registered.get(), heapWith / 1048576.0, perConn, perConn / 1024);

      double before = hubHeartbeats();
      long sentBefore = heartbeatsSent.get();
      long h0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      double hold = (System.nanoTime() - h0) / 1e9;
      double after = hubHeartbeats();
      long sent = heartbeatsSent.get() - sentBefore;
      System.out.printf("hold %.0f s: heartbeats sent %d (%.0f/s); hub counted %s (%s/s); connections open %d; errors %s%n",
          hold, sent, sent / hold,
          Double.isNaN(after) ? "n/a" : String.format("%.0f", after - before),
          Double.isNaN(after) ? "n/a" : String.format("%.0f", (after - before) / hold),
          open.get(), errors);
      long heapHolding = heapAfterFullGc(pid);
      System.out.printf("server heap after full GC at the end of the hold: %.1f MiB (%.0f bytes per connection)%n",
          heapHolding / 1048576.0, (heapHolding - heapBefore) / (double) Math.max(1, open.get()));
      Path status = Path.of(opts.getOrDefault("status-out", "/dev/null"));
      Files.writeString(status, online());
    } finally {
      stopping = true;
      for (Channel ch : channels) {
        ch.close();
      }
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
    }
    Thread.sleep(2000);
    long heapAfter = heapAfterFullGc(pid);
    System.out.printf("server heap after full GC, agents gone: %.1f MiB%n", heapAfter / 1048576.0);
  }

  int errorCount() {
    return errors.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  // --- REST: servers and their registration tokens ----------------------------------------------

  List<String[]> createServers() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    List<java.util.concurrent.Future<String[]>> futures = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String name = "bench-" + run + "-" + i;
      futures.add(pool.submit(() -> createServer(http, name)));
    }
    List<String[]> tokens = new ArrayList<>();
    for (var f : futures) {
      tokens.add(f.get());
    }
    pool.shutdown();
    return tokens;
  }

  /** {registration token, ca sha256}. */
  String[] createServer(HttpClient http, String name) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(opts.get("api") + "/api/v1/servers"))
        .header("Authorization", "Bearer " + opts.get("token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("POST /api/v1/servers answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode body = JSON.readTree(response.body());
    String command = body.get("install_command").asString();
    Matcher ca = Pattern.compile("--ca-sha256 ([0-9a-fA-F]{64})").matcher(command);
    return new String[] {body.get("registration_token").asString(), ca.find() ? ca.group(1) : ""};
  }

  /** Prometheus counter syntra_hub_heartbeats_total less heartbeats dropped for backlog; NaN without a metrics token. */
  double hubHeartbeats() {
    String token = opts.get("metrics-token");
    if (token == null) {
      return Double.NaN;
    }
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(opts.get("api") + "/actuator/prometheus"))
              .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      double total = 0;
      double dropped = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("syntra_hub_heartbeats_total")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("syntra_hub_dropped_total") && line.contains("heartbeat")) {
          dropped += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total - dropped;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** How many servers the API shows online with a heartbeat (first pages only, up to 200 per page). */
  String online() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String cursor = null;
    int online = 0;
    int total = 0;
    do {
      String url = opts.get("api") + "/api/v1/servers?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + opts.get("token")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode page = JSON.readTree(r.body());
      for (JsonNode s : page.path("data")) {
        total++;
        if (!s.path("last_heartbeat_at").isNull() && !s.path("last_heartbeat_at").isMissingNode()) {
          online++;
        }
      }
      JsonNode next = page.path("next_cursor");
      cursor = next.isNull() || next.isMissingNode() || next.asString().isEmpty() ? null : next.asString();
    } while (cursor != null && total < 100_000);
    String text = "servers with a last_heartbeat_at: " + online + " of " + total + "\n";
    System.out.print(text);
    return text;
  }

  // --- server heap ---------------------------------------------------------------------------------

  /** Used heap after a full GC, from jcmd GC.run then jstat -gc (sum of the *U columns of the heap). */
  static long heapAfterFullGc(long pid) throws Exception {
    exec("jcmd", Long.toString(pid), "GC.run");
    exec("jcmd", Long.toString(pid), "GC.run");
    String[] lines = exec("jstat", "-gc", Long.toString(pid)).strip().split("\n");
    String[] head = lines[0].trim().split("\\s+");
    String[] vals = lines[lines.length - 1].trim().split("\\s+");
    double kib = 0;
    for (int i = 0; i < head.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
        kib += Double.parseDouble(vals[i]);
      }
    }
    return (long) (kib * 1024);
  }

  static String exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  // --- agents ----------------------------------------------------------------------------------

  SslContext sslContext(String pinnedSha256) throws Exception {
    File ca = new File(opts.get("ca"));
    X509Certificate cert;
    try (var in = Files.newInputStream(ca.toPath())) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    if (!pinnedSha256.isEmpty() && !sha.equalsIgnoreCase(pinnedSha256)) {
      throw new IllegalStateException("the CA in " + ca + " (" + sha + ") is not the one the install command pins (" + pinnedSha256 + ")");
    }
    return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(cert).build();
  }

  Channel connect(EventLoopGroup group, URI hub, SslContext ssl, String registrationToken) {
    Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc(), hub.getHost(), hub.getPort()));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                    hub, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20)),
                new Agent(registrationToken));
          }
        });
    var future = b.connect(hub.getHost(), hub.getPort());
    future.addListener(f -> {
      if (!f.isSuccess()) {
        error("connect: " + f.cause().getClass().getSimpleName());
        inFlight.release();
      }
    });
    return future.channel();
  }

  final class Agent extends SimpleChannelInboundHandler<WebSocketFrame> {
    final String token;
    boolean released;
    boolean registeredHere;
    boolean opened;

    Agent(String token) {
      this.token = token;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        opened = true;
        open.incrementAndGet();
        AgentHello hello = new AgentHello(null, token, "0.1.0-bench", "docker", "linux", "x86_64",
            "bench-" + ctx.channel().localAddress().toString().replaceAll("[^0-9]", ""),
            new AgentHello.Resources(2, 4L << 30, 40L << 30), null);
        ctx.writeAndFlush(new TextWebSocketFrame(CODEC.encode(Envelope.of(hello, CLOCK))));
      } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        fail(ctx, "handshake timeout");
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (!(frame instanceof TextWebSocketFrame text)) {
        return;
      }
      Envelope envelope = CODEC.decode(text.text());
      switch (envelope.payload()) {
        case HelloOk ok -> {
          registeredHere = true;
          registered.incrementAndGet();
          release();
          long first = ThreadLocalRandom.current().nextLong(interval.toMillis());
          ctx.executor().scheduleAtFixedRate(() -> heartbeat(ctx), first, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        case HelloRejected rejected -> fail(ctx, "hello_rejected " + rejected.reason().wireName());
        case ProtocolError err -> error("error " + err.code());
        default -> { }
      }
    }

    void heartbeat(ChannelHandlerContext ctx) {
      if (!ctx.channel().isActive()) {
        return;
      }
      SystemMetrics system = new SystemMetrics(12.5, List.of(10.0, 15.0), 0.3, 1L << 30, 4L << 30,
          10L << 30, 40L << 30, 123_456_789L, 98_765_432L, 86_400);
      Heartbeat hb = new Heartbeat(system, 0, 0, List.of(), 0);
      ctx.writeAndFlush(new TextWebSocketFrame(CODEC.encode(Envelope.of(hb, CLOCK))));
      heartbeatsSent.incrementAndGet();
    }

    void release() {
      if (!released) {
        released = true;
        inFlight.release();
      }
    }

    void fail(ChannelHandlerContext ctx, String kind) {
      error(kind);
      release();
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (opened) {
        open.decrementAndGet();
      }
      if (!stopping) {
        error(registeredHere ? "closed after hello_ok" : "closed before hello_ok");
      }
      release();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, "exception " + cause.getClass().getSimpleName());
    }
  }
}
