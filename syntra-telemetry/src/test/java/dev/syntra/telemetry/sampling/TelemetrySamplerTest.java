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
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import dev.syntra.telemetry.sampling.SamplingFixtures.RecordingIntake;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetrySamplerTest {
  private final MutableClock clock = new MutableClock();
  private final RecordingIntake next = new RecordingIntake();

  private TelemetrySampler sampler(SamplingPolicy policy) {
    return TelemetrySampler.builder(next)
        .policies(SamplingPolicies.of(policy))
        .decisionWindow(Duration.ofSeconds(10))
        .clock(clock)
        .build();
  }

  private static SamplingPolicy ratio(double ratio) {
    return SamplingPolicy.DEFAULT.withTraceRatio(ratio);
  }

  @Test
  void keepsAnErrorTraceWholeWhenSpansArriveBeforeAndAfterTheError() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(1);

    sampler.accept(traces("shop", span(id, "before-1"), span(id, "before-2")));
    clock.advance(Duration.ofSeconds(5));
    sampler.accept(traces("shop", span(id, "before-3"), errorSpan(id, "error")));
    clock.advance(Duration.ofSeconds(9));
    sampler.accept(traces("cart", span(id, "after")));
    clock.advance(Duration.ofMinutes(1));
    sampler.accept(traces("cart", span(id, "much-later")));

    assertThat(next.normalNames()).isEmpty();
    assertThat(next.priorityNames())
        .containsExactlyInAnyOrder(
            "before-1", "before-2", "before-3", "error", "after", "much-later");
    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.KEPT)).isEqualTo(6);
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT)).isZero();
    assertThat(snapshot.pendingSpans()).isZero();
  }

  @Test
  void anExceptionEventMakesASpanAnError() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(2);
    Span withException =
        span(id, "threw").toBuilder()
            .addEvents(Span.Event.newBuilder().setName("exception"))
            .build();

    sampler.accept(traces("shop", span(id, "parent"), withException));

    assertThat(next.priorityNames()).containsExactlyInAnyOrder("parent", "threw");
  }

  @Test
  void dropsHeldSpansSilentlyOnceTheWindowPassesWithoutAnError() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(3);

    IntakeResult result = sampler.accept(traces("shop", span(id, "a"), span(id, "b")));
    assertThat(result.status()).isEqualTo(IntakeResult.Status.ACCEPTED);
    assertThat(sampler.snapshot().pendingSpans()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(10));
    sampler.accept(traces("shop", errorSpan(id, "too-late")));

    assertThat(next.priorityNames()).containsExactly("too-late");
    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT)).isEqualTo(2);
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED)).isZero();
    assertThat(snapshot.pendingSpans()).isZero();
    assertThat(next.chunks).hasSize(1);
  }

  @Test
  void aNewSpanExtendsTheTracesWindow() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(4);

    sampler.accept(traces("shop", span(id, "a")));
    clock.advance(Duration.ofSeconds(8));
    sampler.accept(traces("shop", span(id, "b")));
    clock.advance(Duration.ofSeconds(8));
    sampler.accept(traces("shop", errorSpan(id, "error")));

    assertThat(next.priorityNames()).containsExactlyInAnyOrder("a", "b", "error");
  }

  @Test
  void keepsSampledInTracesAsNormalDataAndPassesAnUnchangedChunkAsIs() {
    TelemetrySampler sampler = sampler(ratio(0.5));
    TelemetryChunk chunk = traces("shop", span(keptTrace(1), "in-1"), span(keptTrace(2), "in-2"));

    sampler.accept(chunk);

    assertThat(next.chunks).containsExactly(chunk);
    assertThat(sampler.snapshot().count(Signal.TRACES, SamplingOutcome.KEPT)).isEqualTo(2);
  }

  @Test
  void errorSpansPassEvenWithAZeroCeiling() {
    TelemetrySampler sampler = sampler(ratio(1.0).withMaxSpansPerSecond(0));

    sampler.accept(traces("shop", span(keptTrace(1), "ok"), errorSpan(keptTrace(2), "boom")));
    clock.advance(Duration.ofSeconds(11));

    assertThat(next.priorityNames()).containsExactly("boom");
    assertThat(next.normalNames()).isEmpty();
    assertThat(sampler.snapshot().count(Signal.TRACES, SamplingOutcome.RATE_LIMITED)).isEqualTo(1);
  }

  @Test
  void capsEachServiceSeparatelyAndAdaptsItsRatioDown() {
    TelemetrySampler sampler = sampler(ratio(1.0).withMaxSpansPerSecond(100));
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    long n = 0;
    for (int second = 0; second < 3; second++) {
      for (int i = 0; i < 10; i++) {
        Span[] spans = new Span[100];
        for (int j = 0; j < spans.length; j++) {
          spans[j] = span(SamplingFixtures.traceId(random.nextLong(), random.nextLong()), "s");
        }
        sampler.accept(traces("noisy", spans));
        clock.advance(Duration.ofMillis(100));
      }
      sampler.accept(traces("quiet", span(keptTrace(n++), "quiet-" + second)));
    }

    SamplerSnapshot snapshot = sampler.snapshot();
    long noisyKept = next.normalNames().stream().filter("s"::equals).count();
    // 100 burst plus 100/s over 3 s, never more.
    assertThat(noisyKept).isBetween(100L, 400L);
    assertThat(next.normalNames()).contains("quiet-0", "quiet-1", "quiet-2");
    assertThat(snapshot.effectiveTraceRatios().get("noisy")).isLessThan(0.2);
    assertThat(snapshot.effectiveTraceRatios().get("quiet")).isEqualTo(1.0);
    clock.advance(Duration.ofSeconds(11));
    snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.RATE_LIMITED))
        .isEqualTo(3000 - noisyKept);
  }

  @Test
  void policyUpdatesApplyAtRuntimePerService() {
    TelemetrySampler sampler = sampler(ratio(1.0));
    ByteString id = droppedTrace(9);
    sampler.accept(traces("shop", span(id, "kept-before")));

    sampler.updatePolicies(
        new SamplingPolicies(
            SamplingPolicy.DEFAULT,
            java.util.Map.of("shop", SamplingPolicy.DEFAULT.withTraceRatio(0))));
    sampler.accept(traces("shop", span(id, "dropped-after")));
    sampler.accept(traces("cart", span(id, "other-service")));

    assertThat(next.normalNames()).containsExactly("kept-before", "other-service");
    assertThat(sampler.snapshot().pendingSpans()).isEqualTo(1);
  }

  @Test
  void refusedNormalChunkRefusesTheWholeRequest() {
    TelemetrySampler sampler = sampler(ratio(1.0));
    next.answer = c -> IntakeResult.refused(1, "full", Duration.ofSeconds(3));

    IntakeResult result =
        sampler.accept(traces("shop", span(keptTrace(1), "a"), errorSpan(keptTrace(2), "b")));

    assertThat(result.status()).isEqualTo(IntakeResult.Status.REFUSED);
    assertThat(result.rejectedItems()).isEqualTo(2);
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(sampler.snapshot().count(Signal.TRACES, SamplingOutcome.KEPT)).isZero();
  }

  @Test
  void heldSpansReleasedByARefusedRequestAreHeldAgainForTheRetry() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(5);
    sampler.accept(traces("shop", span(id, "held")));
    TelemetryChunk withError = traces("shop", errorSpan(id, "error"));

    next.answer = c -> IntakeResult.refused(1, "full", Duration.ofSeconds(1));
    assertThat(sampler.accept(withError).isRefused()).isTrue();
    next.answer = c -> IntakeResult.accepted();
    assertThat(sampler.accept(withError).status()).isEqualTo(IntakeResult.Status.ACCEPTED);

    assertThat(next.priorityNames()).containsExactlyInAnyOrder("held", "error");
  }

  @Test
  void spansOfARefusedRequestAreCountedOnceForTheRetryNotTwice() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    TelemetryChunk request =
        traces(
            "shop",
            span(droppedTrace(6), "a"),
            span(droppedTrace(6), "b"),
            span(droppedTrace(7), "c"),
            errorSpan(droppedTrace(8), "error"));

    next.answer = c -> IntakeResult.refused(1, "full", Duration.ofSeconds(1));
    assertThat(sampler.accept(request).isRefused()).isTrue();
    assertThat(sampler.snapshot().pendingSpans()).isZero();
    next.answer = c -> IntakeResult.accepted();
    assertThat(sampler.accept(request).status()).isEqualTo(IntakeResult.Status.ACCEPTED);
    clock.advance(Duration.ofSeconds(11));

    SamplerSnapshot snapshot = sampler.snapshot();
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT)).isEqualTo(3);
    assertThat(snapshot.count(Signal.TRACES, SamplingOutcome.KEPT)).isEqualTo(1);
    assertThat(snapshot.pendingSpans()).isZero();
  }

  @Test
  void aSpanHeldByARefusedRequestIsReleasedOnceAfterItsRetry() {
    TelemetrySampler sampler = sampler(ratio(0.0));
    ByteString id = droppedTrace(9);
    TelemetryChunk request =
        traces("shop", span(id, "held"), errorSpan(droppedTrace(10), "other-error"));

    next.answer = c -> IntakeResult.refused(1, "full", Duration.ofSeconds(1));
    assertThat(sampler.accept(request).isRefused()).isTrue();
    next.answer = c -> IntakeResult.accepted();
    sampler.accept(request);
    sampler.accept(traces("shop", errorSpan(id, "error")));

    assertThat(next.priorityNames()).containsExactlyInAnyOrder("other-error", "held", "error");
    assertThat(sampler.snapshot().pendingSpans()).isZero();
  }

  @Test
  void partialAnswersAddUp() {
    TelemetrySampler sampler = sampler(ratio(1.0));
    next.answer = c -> IntakeResult.partial(1, c.priority() ? "p" : "n");

    IntakeResult result =
        sampler.accept(traces("shop", span(keptTrace(1), "a"), errorSpan(keptTrace(2), "b")));

    assertThat(result.status()).isEqualTo(IntakeResult.Status.PARTIAL);
    assertThat(result.rejectedItems()).isEqualTo(2);
  }

  @Test
  void aChunkAlreadyMarkedPriorityPassesUntouched() {
    TelemetrySampler sampler = sampler(ratio(0.0).withMaxSpansPerSecond(0));
    TelemetryChunk chunk =
        TelemetryChunk.of(traces("shop", span(droppedTrace(1), "a")).traces(), true);

    sampler.accept(chunk);

    assertThat(next.chunks).containsExactly(chunk);
  }
}
