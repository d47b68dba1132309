package dev.syntra.telemetry.sampling;

import static dev.syntra.telemetry.sampling.SamplingFixtures.droppedTrace;
import static dev.syntra.telemetry.sampling.SamplingFixtures.errorSpan;
import static dev.syntra.telemetry.sampling.SamplingFixtures.keptTrace;
import static dev.syntra.telemetry.sampling.SamplingFixtures.span;
import static dev.syntra.telemetry.sampling.SamplingFixtures.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.sampling.SamplingFixtures.RecordingIntake;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SamplerHostileInputTest {
  private final MutableClock clock = new MutableClock();
  private final RecordingIntake next = new RecordingIntake();

  @Test
  void countsEverySpanOnceUnderConcurrentRequests() throws Exception {
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.5)))
            .clock(clock)
            .build();
    int threads = 4;
    int requests = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(
            pool.submit(() -> {
              SplittableRandom random = new SplittableRandom(seed);
              for (int r = 0; r < requests; r++) {
                Span[] spans = new Span[10];
                for (int i = 0; i < spans.length; i++) {
                  ByteString id = SamplingFixtures.traceId(random.nextLong(), random.nextLong());
                  spans[i] = i == 0 ? errorSpan(id, "e") : span(id, "s");
                }
                sampler.accept(traces("svc-" + seed, spans));
              }
            }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    clock.advance(Duration.ofSeconds(11));
    SamplerSnapshot snapshot = sampler.snapshot();
    long total = (long) threads * requests * 10;
    assertThat(
            snapshot.count(Signal.TRACES, SamplingOutcome.KEPT)
                + snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT)
                + snapshot.count(Signal.TRACES, SamplingOutcome.RATE_LIMITED)
                + snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED))
        .isEqualTo(total);
    assertThat(next.priorityNames()).hasSize(threads * requests);
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.KEPT))
        .isEqualTo(next.priorityNames().size() + next.normalNames().size());
  }

  @Test
  void aFloodOfServiceNamesKeepsTheServiceTableBounded() {
    TelemetrySampler sampler = TelemetrySampler.builder(next).maxServices(50).clock(clock).build();
    for (int i = 0; i < 10_000; i++) {
      sampler.accept(traces("svc-" + i, span(droppedTrace(i), "s")));
    }
    assertThat(sampler.snapshot().effectiveTraceRatios()).hasSize(50);
    assertThat(next.normalNames()).hasSize(10_000);
  }

  @Test
  void megabyteServiceNamesAreNotRetainedWholeByTheServiceTable() {
    TelemetrySampler sampler = TelemetrySampler.builder(next).clock(clock).build();
    String huge = "x".repeat(1 << 20);
    for (int i = 0; i < 20; i++) {
      sampler.accept(traces(i + huge, span(keptTrace(i), "s")));
    }

    assertThat(sampler.snapshot().effectiveTraceRatios().keySet())
        .hasSize(20)
        .allSatisfy(key -> assertThat(key).hasSize(ServiceLimits.MAX_KEY_CHARS));
    assertThat(next.normalNames()).hasSize(20);
  }

  @Test
  void aMillionDistinctTraceIdsStayWithinTheHeldBoundAndAreAllCounted() {
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.0)))
            .pendingMaxBytes(64 * 1024)
            .clock(clock)
            .build();
    SplittableRandom random = new SplittableRandom(11);
    int requests = 1000;
    int perRequest = 1000;
    for (int r = 0; r < requests; r++) {
      Span[] spans = new Span[perRequest];
      for (int i = 0; i < perRequest; i++) {
        spans[i] = span(SamplingFixtures.traceId(random.nextLong(), 0), "s");
      }
      sampler.accept(traces("shop", spans));
      SamplerSnapshot snapshot = sampler.snapshot();
      assertThat(snapshot.pendingTraces()).isLessThanOrEqualTo(64 * 1024 / 512);
      assertThat(snapshot.pendingBytes()).isLessThanOrEqualTo(64 * 1024);
    }
    clock.advance(Duration.ofSeconds(11));

    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(
            snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT)
                + snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED))
        .isEqualTo((long) requests * perRequest);
    assertThat(next.chunks).isEmpty();
  }

  @Test
  void aSpanLargerThanTheHeldBoundIsCountedAtOnceAndAnErrorOneStillPasses() {
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.0)))
            .pendingMaxBytes(64 * 1024)
            .clock(clock)
            .build();
    String value = "v".repeat(1 << 20);
    Span huge =
        span(droppedTrace(1), "huge").toBuilder()
            .addAttributes(SamplingFixtures.attr("big", value))
            .build();

    sampler.accept(traces("shop", huge));
    sampler.accept(
        traces(
            "shop",
            errorSpan(droppedTrace(2), "e").toBuilder()
                .addAttributes(SamplingFixtures.attr("big", value))
                .build()));

    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED)).isEqualTo(1);
    assertThat(snapshot.pendingSpans()).isZero();
    assertThat(next.priorityNames()).containsExactly("e");
  }

  @Test
  void invalidTraceIdsAreKeptWithoutBeingRememberedAsErrored() {
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.0)))
            .clock(clock)
            .build();
    ByteString shortId = ByteString.copyFrom(new byte[] {1, 2, 3});

    sampler.accept(traces("shop", errorSpan(ByteString.EMPTY, "error-no-id"), span(shortId, "a")));
    sampler.accept(traces("shop", span(ByteString.EMPTY, "b")));

    assertThat(next.priorityNames()).containsExactly("error-no-id");
    assertThat(next.normalNames()).containsExactly("a", "b");
    assertThat(sampler.snapshot().erroredTraces()).isZero();
  }
}
