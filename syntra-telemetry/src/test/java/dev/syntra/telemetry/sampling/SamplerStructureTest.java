package dev.syntra.telemetry.sampling;

import static dev.syntra.telemetry.sampling.SamplingFixtures.attr;
import static dev.syntra.telemetry.sampling.SamplingFixtures.droppedTrace;
import static dev.syntra.telemetry.sampling.SamplingFixtures.errorSpan;
import static dev.syntra.telemetry.sampling.SamplingFixtures.keptTrace;
import static dev.syntra.telemetry.sampling.SamplingFixtures.resource;
import static dev.syntra.telemetry.sampling.SamplingFixtures.scope;
import static dev.syntra.telemetry.sampling.SamplingFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.sampling.SamplingFixtures.RecordingIntake;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerStructureTest {
  private final MutableClock clock = new MutableClock();
  private final RecordingIntake next = new RecordingIntake();

  @Test
  void splitsIntoPriorityAndNormalChunksKeepingResourcesAndScopes() {
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.5)))
            .clock(clock)
            .build();
    ResourceSpans first =
        ResourceSpans.newBuilder()
            .setResource(resource("shop").toBuilder().addAttributes(attr("k8s.pod.name", "p1")))
            .setSchemaUrl("r-schema")
            .addScopeSpans(
                ScopeSpans.newBuilder()
                    .setScope(scope("http"))
                    .setSchemaUrl("s-schema")
                    .addSpans(span(keptTrace(1), "normal-1"))
                    .addSpans(errorSpan(keptTrace(2), "error-1"))
                    .addSpans(span(droppedTrace(3), "held-1")))
            .addScopeSpans(
                ScopeSpans.newBuilder()
                    .setScope(scope("db"))
                    .addSpans(span(keptTrace(4), "normal-2")))
            .build();
    ResourceSpans second =
        ResourceSpans.newBuilder()
            .setResource(resource("cart"))
            .addScopeSpans(
                ScopeSpans.newBuilder()
                    .setScope(scope("grpc"))
                    .addSpans(span(keptTrace(5), "normal-3")))
            .build();

    sampler.accept(
        TelemetryChunk.of(
            TracesData.newBuilder().addResourceSpans(first).addResourceSpans(second).build(),
            false));

    assertThat(next.chunks).hasSize(2);
    TracesData priority = next.chunks.get(0).traces();
    assertThat(next.chunks.get(0).priority()).isTrue();
    assertThat(priority.getResourceSpansCount()).isEqualTo(1);
    ResourceSpans prs = priority.getResourceSpans(0);
    assertThat(prs.getResource()).isEqualTo(first.getResource());
    assertThat(prs.getSchemaUrl()).isEqualTo("r-schema");
    assertThat(prs.getScopeSpans(0).getScope()).isEqualTo(scope("http"));
    assertThat(prs.getScopeSpans(0).getSchemaUrl()).isEqualTo("s-schema");
    assertThat(prs.getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("error-1");

    TracesData normal = next.chunks.get(1).traces();
    assertThat(next.chunks.get(1).priority()).isFalse();
    assertThat(normal.getResourceSpansCount()).isEqualTo(2);
    ResourceSpans nrs = normal.getResourceSpans(0);
    assertThat(nrs.getResource()).isEqualTo(first.getResource());
    assertThat(nrs.getSchemaUrl()).isEqualTo("r-schema");
    assertThat(nrs.getScopeSpans(0).getScope()).isEqualTo(scope("http"));
    assertThat(nrs.getScopeSpans(0).getSchemaUrl()).isEqualTo("s-schema");
    assertThat(nrs.getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("normal-1");
    assertThat(nrs.getScopeSpans(1)).isSameAs(first.getScopeSpans(1));
    assertThat(normal.getResourceSpans(1)).isSameAs(second);

    sampler.accept(SamplingFixtures.traces("late", errorSpan(droppedTrace(3), "late-error")));
    TracesData released = next.chunks.get(2).traces();
    ResourceSpans rrs =
        released.getResourceSpansList().stream()
            .filter(r -> r.getResource().equals(first.getResource()))
            .findFirst()
            .orElseThrow();
    assertThat(rrs.getSchemaUrl()).isEqualTo("r-schema");
    assertThat(rrs.getScopeSpans(0).getScope()).isEqualTo(scope("http"));
    assertThat(rrs.getScopeSpans(0).getSpans(0).getName()).isEqualTo("held-1");
  }

  @Test
  void memoryStaysBoundedUnderAFloodOfDistinctTraceIds() {
    int maxBytes = 256 * 1024;
    TelemetrySampler sampler =
        TelemetrySampler.builder(next)
            .policies(SamplingPolicies.of(SamplingPolicy.DEFAULT.withTraceRatio(0.0)))
            .pendingMaxBytes(maxBytes)
            .maxErroredTraces(1000)
            .clock(clock)
            .build();
    SplittableRandom random = new SplittableRandom(3);
    int spans = 0;
    for (int request = 0; request < 200; request++) {
      io.opentelemetry.proto.trace.v1.Span[] batch = new io.opentelemetry.proto.trace.v1.Span[500];
      for (int i = 0; i < batch.length; i++) {
        var id = SamplingFixtures.traceId(random.nextLong(), random.nextLong());
        batch[i] = i % 50 == 0 ? errorSpan(id, "e") : span(id, "s");
      }
      sampler.accept(SamplingFixtures.traces("flood", batch));
      spans += batch.length;
      clock.advance(Duration.ofMillis(10));
      assertThat(sampler.snapshot().pendingBytes()).isLessThanOrEqualTo(maxBytes);
    }

    SamplerSnapshot snapshot = sampler.snapshot();
    long kept = snapshot.count(Signal.TRACES, SamplingOutcome.KEPT);
    long evicted = snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED);
    assertThat(kept).isEqualTo(spans / 50);
    assertThat(evicted).isPositive();
    assertThat(snapshot.erroredTraces()).isEqualTo(1000);
    assertThat(kept + evicted + snapshot.pendingSpans()).isEqualTo(spans);
    clock.advance(Duration.ofSeconds(11));
    snapshot = sampler.snapshot();
    assertThat(snapshot.pendingSpans()).isZero();
    assertThat(snapshot.pendingBytes()).isZero();
    assertThat(
            snapshot.count(Signal.TRACES, SamplingOutcome.KEPT)
                + snapshot.count(Signal.TRACES, SamplingOutcome.EVICTED)
                + snapshot.count(Signal.TRACES, SamplingOutcome.SAMPLED_OUT))
        .isEqualTo(spans);
  }
}
