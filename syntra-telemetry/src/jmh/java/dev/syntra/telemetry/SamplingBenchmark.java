package dev.syntra.telemetry;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.syntra.telemetry.enrich.ResourceEnricher;
import dev.syntra.telemetry.enrich.ServiceDirectory;
import dev.syntra.telemetry.enrich.ServiceIdentity;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.pipeline.TelemetryIntake;
import dev.syntra.telemetry.sampling.SamplingPolicies;
import dev.syntra.telemetry.sampling.SamplingPolicy;
import dev.syntra.telemetry.sampling.TelemetrySampler;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Spans per second through enricher → sampler (the next stage only counts). Requests hold 100
 * spans of 10 traces from one service (8 resource attributes, 6 span attributes, ~230 bytes per
 * span); {@code errorPercent} of the traces contain an error span. {@code sampleParsed} runs on
 * requests parsed once up front (fresh trace ids per pass); {@code parseAndSample} includes the
 * protobuf parse of the request body, as a receiver does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SamplingBenchmark {
  private static final int SPANS = 100;
  private static final int REQUESTS = 256;

  @Param({"1.0", "0.1"})
  public double ratio;

  @Param({"1"})
  public int errorPercent;

  private TelemetryIntake pipeline;
  private TelemetryChunk[] parsed;
  private byte[][] bodies;
  private int next;
  private Blackhole hole;

  @Setup
  public void setUp(Blackhole blackhole) {
    this.hole = blackhole;
    TelemetryIntake sink =
        chunk -> {
          hole.consume(chunk);
          return IntakeResult.accepted();
        };
    TelemetrySampler sampler =
        TelemetrySampler.builder(sink)
            .policies(
                SamplingPolicies.of(
                    SamplingPolicy.DEFAULT.withTraceRatio(ratio).withMaxSpansPerSecond(100_000_000)))
            .build();
    ServiceIdentity identity = new ServiceIdentity("svc_1", "dep_1", "production", null);
    ServiceDirectory directory =
        new ServiceDirectory() {
          @Override
          public Optional<ServiceIdentity> byServiceId(String serviceId) {
            return Optional.empty();
          }

          @Override
          public Optional<ServiceIdentity> byContainerId(String containerId) {
            return Optional.of(identity);
          }

          @Override
          public Optional<ServiceIdentity> byServiceName(String serviceName) {
            return Optional.empty();
          }
        };
    pipeline = ResourceEnricher.create(sampler, directory, "srv_1");
    SplittableRandom random = new SplittableRandom(1);
    parsed = new TelemetryChunk[REQUESTS];
    bodies = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      TracesData data = request(random);
      bodies[i] = data.toByteArray();
      parsed[i] = TelemetryChunk.of(data, false);
    }
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public IntakeResult sampleParsed() {
    TelemetryChunk chunk = parsed[next++ & (REQUESTS - 1)];
    return pipeline.accept(chunk);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public IntakeResult parseAndSample() throws InvalidProtocolBufferException {
    byte[] body = bodies[next++ & (REQUESTS - 1)];
    return pipeline.accept(TelemetryChunk.of(TracesData.parseFrom(body), false));
  }

  private TracesData request(SplittableRandom random) {
    Resource resource =
        Resource.newBuilder()
            .addAttributes(attr("service.name", "checkout"))
            .addAttributes(attr("service.version", "1.4.2"))
            .addAttributes(attr("telemetry.sdk.name", "opentelemetry"))
            .addAttributes(attr("telemetry.sdk.language", "java"))
            .addAttributes(attr("telemetry.sdk.version", "1.68.0"))
            .addAttributes(attr("host.name", "web-1"))
            .addAttributes(attr("container.id", "4f1c2d3e4f5a6b7c8d9e"))
            .addAttributes(attr("process.pid", "4242"))
            .build();
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.netty-4.1").setVersion("2.10.0"));
    for (int t = 0; t < SPANS / 10; t++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      boolean error = random.nextInt(100) < errorPercent;
      for (int s = 0; s < 10; s++) {
        Span.Builder span =
            Span.newBuilder()
                .setTraceId(ByteString.copyFrom(id))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) s}))
                .setName("GET /api/cart/{id}")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_765_000_000_000_000_000L + s)
                .setEndTimeUnixNano(1_765_000_000_050_000_000L + s)
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.route", "/api/cart/{id}"))
                .addAttributes(attr("url.scheme", "https"))
                .addAttributes(attr("server.address", "shop.example.com"))
                .addAttributes(attr("network.protocol.version", "1.1"))
                .addAttributes(attr("http.response.status_code", error && s == 9 ? "500" : "200"));
        if (error && s == 9) {
          span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        scope.addSpans(span);
      }
    }
    return TracesData.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
