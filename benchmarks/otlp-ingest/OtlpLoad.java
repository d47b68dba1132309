import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load driver for the agent's OTLP receivers: N connections send pre-built ExportTraceServiceRequest
 * bodies (K spans each, realistic attributes, random ids, a share of error spans) as fast as the
 * receiver answers, for a fixed time, over OTLP/HTTP protobuf or OTLP/gRPC. Prints one JSON line:
 * requests and spans accepted, refused (429/503/RESOURCE_EXHAUSTED), failed, and spans/s.
 *
 * <pre>
 * java -cp syntra-agent.jar OtlpLoad.java --http http://127.0.0.1:4318 | --grpc 127.0.0.1:4317
 *      [--duration 30] [--connections 8] [--spans 100] [--error-ratio 0.01] [--distinct 512]
 * </pre>
 */
public final class OtlpLoad {
  private static final MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse>
      EXPORT =
          MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
              .setRequestMarshaller(
                  ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
              .build();

  private final LongAdder requests = new LongAdder();
  private final LongAdder spans = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicBoolean running = new AtomicBoolean(true);

  public static void main(String[] args) throws Exception {
    String http = null;
    String grpc = null;
    int duration = 30, connections = 8, spansPerRequest = 100, distinct = 512;
    double errorRatio = 0.01;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--http" -> http = value;
        case "--grpc" -> grpc = value;
        case "--duration" -> duration = Integer.parseInt(value);
        case "--connections" -> connections = Integer.parseInt(value);
        case "--spans" -> spansPerRequest = Integer.parseInt(value);
        case "--distinct" -> distinct = Integer.parseInt(value);
        case "--error-ratio" -> errorRatio = Double.parseDouble(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if ((http == null) == (grpc == null)) {
      throw new IllegalArgumentException("give exactly one of --http URL and --grpc HOST:PORT");
    }
    List<ExportTraceServiceRequest> bodies = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(42);
    long bytes = 0;
    for (int i = 0; i < distinct; i++) {
      ExportTraceServiceRequest request = request(random, spansPerRequest, errorRatio);
      bodies.add(request);
      bytes += request.getSerializedSize();
    }
    new OtlpLoad().run(http, grpc, duration, connections, spansPerRequest, bodies, bytes / distinct);
  }

  private void run(
      String http,
      String grpc,
      int duration,
      int connections,
      int spansPerRequest,
      List<ExportTraceServiceRequest> bodies,
      long averageBytes)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    ManagedChannel channel = null;
    HttpClient client = null;
    if (grpc != null) {
      String[] hostPort = grpc.split(":");
      channel =
          NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
              .usePlaintext()
              .maxInboundMessageSize(4 << 20)
              .build();
    } else {
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    List<byte[]> encoded = bodies.stream().map(ExportTraceServiceRequest::toByteArray).toList();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int offset = c;
      ManagedChannel ch = channel;
      HttpClient hc = client;
      Thread thread =
          Thread.ofPlatform()
              .name("load-" + c)
              .start(() -> {
                int i = offset;
                while (running.get()) {
                  int index = i++ % bodies.size();
                  if (ch != null) {
                    sendGrpc(ch, bodies.get(index), spansPerRequest);
                  } else {
                    sendHttp(hc, http, encoded.get(index), spansPerRequest);
                  }
                }
              });
      threads.add(thread);
    }
    Thread.sleep(duration * 1000L);
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (channel != null) {
      channel.shutdownNow();
    }
    System.out.printf(
        "{\"transport\":\"%s\",\"seconds\":%.1f,\"connections\":%d,\"spans_per_request\":%d,"
            + "\"request_bytes\":%d,\"requests\":%d,\"spans\":%d,\"refused\":%d,\"failed\":%d,"
            + "\"spans_per_second\":%.0f}%n",
        grpc != null ? "grpc" : "http",
        seconds,
        connections,
        spansPerRequest,
        averageBytes,
        requests.sum(),
        spans.sum(),
        refused.sum(),
        failed.sum(),
        spans.sum() / seconds);
  }

  private void sendHttp(HttpClient client, String base, byte[] body, int count) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      count(status == 200, status == 429 || status == 503, count);
    } catch (Exception e) {
      failed.increment();
    }
  }

  private void sendGrpc(ManagedChannel channel, ExportTraceServiceRequest body, int count) {
    try {
      ClientCalls.blockingUnaryCall(
          channel, EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS), body);
      count(true, false, count);
    } catch (StatusRuntimeException e) {
      boolean exhausted =
          e.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED
              || e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE;
      count(false, exhausted, count);
    }
  }

  private void count(boolean ok, boolean wasRefused, int spanCount) {
    requests.increment();
    if (ok) {
      spans.add(spanCount);
    } else if (wasRefused) {
      refused.increment();
    } else {
      failed.increment();
    }
  }

  private static final String[] ROUTES = {
    "/api/orders", "/api/orders/{id}", "/api/cart", "/api/users/{id}", "/health", "/api/search"
  };
  private static final String[] SERVICES = {"checkout", "orders", "users", "search"};

  /** One request: one resource (a service), one scope, traces of 4-10 spans each. */
  static ExportTraceServiceRequest request(SplittableRandom random, int count, double errorRatio) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet-5.0").setVersion("2.10.0"));
    long now = System.currentTimeMillis() * 1_000_000L;
    ByteString traceId = null;
    ByteString parent = ByteString.EMPTY;
    for (int i = 0; i < count; i++) {
      if (traceId == null || random.nextInt(6) == 0) {
        traceId = bytes(random, 16);
        parent = ByteString.EMPTY;
      }
      ByteString spanId = bytes(random, 8);
      String route = ROUTES[random.nextInt(ROUTES.length)];
      boolean error = random.nextDouble() < errorRatio;
      long start = now - random.nextLong(1_000_000_000L);
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(spanId)
              .setParentSpanId(parent)
              .setName("GET " + route)
              .setKind(parent.isEmpty() ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + random.nextLong(1_000, 50_000_000L))
              .addAttributes(attr("http.request.method", "GET"))
              .addAttributes(attr("http.route", route))
              .addAttributes(attr("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000)))))
              .addAttributes(intAttr("http.response.status_code", error ? 500 : 200))
              .addAttributes(attr("server.address", service + ".internal"))
              .addAttributes(intAttr("server.port", 8080))
              .addAttributes(attr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) load/" + random.nextInt(20)))
              .addAttributes(attr("network.peer.address", "10.0." + random.nextInt(255) + "." + random.nextInt(255)));
      if (error) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
        span.addEvents(
            Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(start + 1000)
                .addAttributes(attr("exception.type", "java.lang.IllegalStateException"))
                .addAttributes(attr("exception.message", "order " + random.nextInt(1000) + " not found")));
      }
      scope.addSpans(span);
      parent = spanId;
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(attr("service.name", service))
            .addAttributes(attr("service.version", "1.4." + random.nextInt(3)))
            .addAttributes(attr("telemetry.sdk.language", "java"))
            .addAttributes(attr("telemetry.sdk.name", "opentelemetry"))
            .addAttributes(attr("telemetry.sdk.version", "1.68.0"))
            .addAttributes(attr("host.name", "web-" + random.nextInt(4)))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  private static ByteString bytes(SplittableRandom random, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(b);
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue intAttr(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }
}
