package dev.syntra.telemetry.sampling;

import static dev.syntra.telemetry.sampling.SamplingFixtures.span;
import static dev.syntra.telemetry.sampling.SamplingFixtures.traceId;
import static dev.syntra.telemetry.sampling.SamplingFixtures.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.sampling.SamplingFixtures.RecordingIntake;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdRatioTest {

  @Test
  void thresholdFollowsTheDocumentedFunction() {
    assertThat(TraceIdRatio.threshold(1.0)).isZero();
    assertThat(TraceIdRatio.threshold(0.0)).isEqualTo(1L << 56);
    assertThat(TraceIdRatio.threshold(-3)).isEqualTo(1L << 56);
    assertThat(TraceIdRatio.threshold(Double.NaN)).isEqualTo(1L << 56);
    assertThat(TraceIdRatio.threshold(0.5)).isEqualTo(1L << 55);
    assertThat(TraceIdRatio.threshold(0.25)).isEqualTo(3L << 54);
  }

  @Test
  void randomnessIsTheLow56BitsBigEndian() {
    ByteString id =
        ByteString.copyFrom(HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(TraceIdRatio.randomness(id)).isEqualTo(0xce929d0e0e4736L);
    // 0xce929d0e0e4736 / 2^56 = 0.807...: kept at ratio 0.2 (T = 0.8 * 2^56), dropped at 0.19.
    assertThat(TraceIdRatio.isSampled(id, 0.2)).isTrue();
    assertThat(TraceIdRatio.isSampled(id, 0.19)).isFalse();
  }

  @Test
  void traceIdWithoutRandomnessIsKept() {
    assertThat(TraceIdRatio.randomness(ByteString.copyFrom(new byte[8]))).isEqualTo(-1);
    assertThat(TraceIdRatio.isSampled(ByteString.EMPTY, 0.0)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.1, 0.5, 0.9})
  void ratioIsAccurateOverRandomIds(double ratio) {
    SplittableRandom random = new SplittableRandom(42);
    long threshold = TraceIdRatio.threshold(ratio);
    int n = 100_000;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (TraceIdRatio.isSampled(traceId(random.nextLong(), random.nextLong()), threshold)) {
        kept++;
      }
    }
    // Binomial standard deviation at n = 100k is at most 0.0016; 0.006 is almost 4 of them.
    assertThat(kept / (double) n).isCloseTo(ratio, within(0.006));
  }

  @Test
  void twoSamplersDecideTheSameForEveryTraceId() {
    SamplingPolicies policies =
        SamplingPolicies.of(
            SamplingPolicy.DEFAULT.withTraceRatio(0.3).withMaxSpansPerSecond(1_000_000));
    MutableClock clock = new MutableClock();
    RecordingIntake first = new RecordingIntake();
    RecordingIntake second = new RecordingIntake();
    TelemetrySampler a = TelemetrySampler.builder(first).policies(policies).clock(clock).build();
    TelemetrySampler b = TelemetrySampler.builder(second).policies(policies).clock(clock).build();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      ByteString id = traceId(random.nextLong(), random.nextLong());
      a.accept(traces("frontend", span(id, "t" + i)));
      b.accept(traces("backend", span(id, "t" + i)));
    }
    assertThat(first.normalNames()).isNotEmpty().isEqualTo(second.normalNames());
    assertThat(first.normalNames().size()).isBetween(500, 700);
  }
}
