package dev.syntra.telemetry.buffer;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.TelemetryChunk;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Accept + seal throughput of the buffer on one thread: chunks of realistic HTTP server spans go
 * in, full batches are encoded into zstd frames on the accepting thread, and a drain acknowledges
 * the frames every 64 chunks (standing in for the shipper). The {@code spans} counter is spans per
 * second. {@code spool}: {@code none} (memory only) or {@code interval} (write-ahead spool with
 * the default 1 s fsync).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TelemetryBufferBenchmark {
  @Param({"none", "interval"})
  public String spool;

  @Param({"100"})
  public int spansPerChunk;

  private final TelemetryChunk[] chunks = new TelemetryChunk[64];
  private TelemetryBuffer buffer;
  private Path dir;
  private int next;

  /** Spans accepted, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    public long spans;

    @Setup(Level.Iteration)
    public void reset() {
      spans = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = chunk(random, spansPerChunk);
    }
    TelemetryBufferBuilder builder = TelemetryBuffer.builder();
    if (spool.equals("interval")) {
      dir = Files.createTempDirectory("syntra-buffer-bench");
      builder.spool(dir.resolve("spool"));
    }
    buffer = builder.build();
    System.out.printf(
        "%nchunk: %d spans, %d bytes OTLP%n", spansPerChunk, chunks[0].sizeBytes());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    buffer.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public boolean acceptAndSeal(Volume volume) {
    TelemetryChunk chunk = chunks[next++ & 63];
    boolean refused = buffer.accept(chunk).isRefused();
    if (refused || (next & 63) == 0) {
      for (SealedFrame frame : buffer.framesAfter(-1, Integer.MAX_VALUE)) {
        buffer.acknowledge(frame.batchId());
      }
    }
    if (!refused) {
      volume.spans += spansPerChunk;
    }
    return refused;
  }

  private static TelemetryChunk chunk(SplittableRandom random, int spans) {
    String[] routes = {"/api/cart", "/api/orders/{id}", "/api/products", "/healthz"};
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet"));
    for (int i = 0; i < spans; i++) {
      String route = routes[random.nextInt(routes.length)];
      long start = 1_795_000_000_000_000_000L + random.nextLong(1_000_000_000L);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(bytes(random, 16))
              .setSpanId(bytes(random, 8))
              .setParentSpanId(bytes(random, 8))
              .setName("GET " + route)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + random.nextLong(50_000_000L))
              .addAttributes(kv("http.request.method", "GET"))
              .addAttributes(kv("http.route", route))
              .addAttributes(kv("url.path", route.replace("{id}", "" + random.nextInt(10_000))))
              .addAttributes(kv("http.response.status_code", "200"))
              .addAttributes(kv("server.address", "shop.example.com"))
              .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)));
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(kv("service.name", "web"))
            .addAttributes(kv("service.version", "1.4.2"))
            .addAttributes(kv("deployment.environment", "production"))
            .build();
    return TelemetryChunk.of(
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
            .build(),
        false);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static ByteString bytes(SplittableRandom random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return ByteString.copyFrom(out);
  }
}
