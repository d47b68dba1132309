package dev.syntra.telemetry.sampling;

import static dev.syntra.telemetry.sampling.SamplingFixtures.droppedTrace;
import static dev.syntra.telemetry.sampling.SamplingFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.Signal;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingTracesTest {
  private static final int RING = 64 * 1024;
  private final OutcomeCounters counters = new OutcomeCounters();
  private final PendingTraces pending = new PendingTraces(RING, 10_000, counters);
  private final ResourceSpans resource =
      ResourceSpans.newBuilder().setResource(SamplingFixtures.resource("shop")).build();
  private final ScopeSpans scope =
      ScopeSpans.newBuilder().setScope(SamplingFixtures.scope("s")).build();

  private static Span big(ByteString traceId, int n) {
    return span(traceId, "span-" + n + "-" + "x".repeat(900));
  }

  private long count(SamplingOutcome outcome) {
    return counters.snapshot().get(Signal.TRACES).get(outcome);
  }

  @Test
  void wrappingTheRingEvictsTheOldestTracesWholeAndKeepsTheRestIntact() {
    int spans = 0;
    for (int t = 0; t < 200; t++) {
      for (int s = 0; s < 3; s++) {
        pending.hold(
            droppedTrace(t),
            big(droppedTrace(t), s),
            resource,
            scope,
            SamplingOutcome.SAMPLED_OUT,
            0);
        spans++;
      }
      assertThat(pending.bytes()).isLessThanOrEqualTo(RING);
    }

    long evicted = count(SamplingOutcome.EVICTED);
    assertThat(evicted).isPositive();
    assertThat(evicted % 3).isZero();
    assertThat(evicted + pending.spanCount()).isEqualTo(spans);

    List<HeldSpan> released = new ArrayList<>();
    pending.releaseTo(droppedTrace(199), 1, released);
    assertThat(released)
        .extracting(h -> h.span().getName())
        .containsExactly(
            big(droppedTrace(199), 0).getName(),
            big(droppedTrace(199), 1).getName(),
            big(droppedTrace(199), 2).getName());
    assertThat(released.get(0).resource()).isSameAs(resource);
    assertThat(released.get(0).scope()).isSameAs(scope);
    assertThat(released.get(0).span()).isEqualTo(big(droppedTrace(199), 0));

    released.clear();
    pending.releaseTo(droppedTrace(0), 1, released);
    assertThat(released).isEmpty();
  }

  @Test
  void aWithdrawnSpanIsNeitherReleasedNorCountedAndTheRingStaysIntact() {
    SamplingOutcome out = SamplingOutcome.SAMPLED_OUT;
    long first = pending.hold(droppedTrace(1), big(droppedTrace(1), 0), resource, scope, out, 0);
    pending.hold(droppedTrace(1), big(droppedTrace(1), 1), resource, scope, out, 0);
    long only = pending.hold(droppedTrace(2), big(droppedTrace(2), 0), resource, scope, out, 0);

    pending.withdraw(droppedTrace(1), first);
    pending.withdraw(droppedTrace(2), only);
    pending.withdraw(droppedTrace(2), only);

    assertThat(pending.spanCount()).isEqualTo(1);
    assertThat(pending.traceCount()).isEqualTo(1);
    assertThat(pending.bytes()).isEqualTo(big(droppedTrace(1), 1).getSerializedSize() + 5);
    for (int t = 3; t < 200; t++) {
      pending.hold(droppedTrace(t), big(droppedTrace(t), 0), resource, scope, out, 0);
    }
    assertThat(count(SamplingOutcome.EVICTED) + pending.spanCount()).isEqualTo(1 + 197);
    List<HeldSpan> released = new ArrayList<>();
    pending.releaseTo(droppedTrace(1), 1, released);
    pending.releaseTo(droppedTrace(199), 1, released);
    assertThat(released).extracting(HeldSpan::span).containsExactly(big(droppedTrace(199), 0));
    pending.expire(10_000, true);
    assertThat(count(SamplingOutcome.SAMPLED_OUT) + count(SamplingOutcome.EVICTED)).isEqualTo(197);
  }

  @Test
  void aTraceWhoseWindowPassedIsCountedByItsReasonNotReleased() {
    pending.hold(
        droppedTrace(1),
        span(droppedTrace(1), "a"),
        resource,
        scope,
        SamplingOutcome.RATE_LIMITED,
        0);
    List<HeldSpan> released = new ArrayList<>();

    pending.releaseTo(droppedTrace(1), 10_000, released);

    assertThat(released).isEmpty();
    assertThat(count(SamplingOutcome.RATE_LIMITED)).isEqualTo(1);
    assertThat(pending.spanCount()).isZero();
    assertThat(pending.bytes()).isZero();
  }

  @Test
  void aSpanLargerThanTheRingIsEvictedAtOnce() {
    Span huge = span(droppedTrace(1), "x".repeat(RING));
    pending.hold(droppedTrace(1), huge, resource, scope, SamplingOutcome.SAMPLED_OUT, 0);
    assertThat(count(SamplingOutcome.EVICTED)).isEqualTo(1);
    assertThat(pending.traceCount()).isZero();
  }

  @Test
  void expiryCountsHeldSpansByReason() {
    pending.hold(
        droppedTrace(1),
        span(droppedTrace(1), "a"),
        resource,
        scope,
        SamplingOutcome.SAMPLED_OUT,
        0);
    pending.hold(
        droppedTrace(2),
        span(droppedTrace(2), "b"),
        resource,
        scope,
        SamplingOutcome.RATE_LIMITED,
        5_000);
    pending.hold(
        droppedTrace(1),
        span(droppedTrace(1), "c"),
        resource,
        scope,
        SamplingOutcome.SAMPLED_OUT,
        6_000);

    pending.expire(15_000, false);
    assertThat(pending.spanCount()).isEqualTo(3);
    pending.expire(15_000, true);
    assertThat(count(SamplingOutcome.RATE_LIMITED)).isEqualTo(1);
    assertThat(pending.spanCount()).isEqualTo(2);
    pending.expire(16_000, false);
    assertThat(count(SamplingOutcome.SAMPLED_OUT)).isEqualTo(2);
    assertThat(pending.traceCount()).isZero();
  }
}
