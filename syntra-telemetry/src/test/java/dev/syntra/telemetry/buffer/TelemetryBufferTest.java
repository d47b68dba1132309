package dev.syntra.telemetry.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.FrameLimits;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryBufferTest {
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  private final MutableClock clock = new MutableClock();
  private final ManualTimer timer = new ManualTimer();
  private final List<DropAlert> alerts = new ArrayList<>();
  private TelemetryBuffer buffer;

  @AfterEach
  void close() {
    if (buffer != null) {
      buffer.close();
    }
  }

  private TelemetryBufferBuilder builder() {
    return TelemetryBuffer.builder()
        .clock(clock)
        .timer(timer)
        .dropAlert(50, Duration.ofMinutes(1), Duration.ofMinutes(5), alerts::add);
  }

  private List<TelemetryFrame> decodeAll() {
    return buffer.framesAfter(-1, Integer.MAX_VALUE).stream()
        .map(f -> codec.decode(f.bytes()))
        .toList();
  }

  @Test
  void sealsABatchWhenItReachesMaxItems() {
    buffer = builder().batchMaxItems(10).build();
    AtomicInteger sealed = new AtomicInteger();
    buffer.onSealed(sealed::incrementAndGet);
    for (int i = 0; i < 9; i++) {
      assertThat(buffer.accept(Chunks.spans(i, 1, false))).isEqualTo(IntakeResult.accepted());
    }
    assertThat(buffer.framesAfter(-1, 10)).isEmpty();

    buffer.accept(Chunks.spans(9, 1, false));

    List<SealedFrame> frames = buffer.framesAfter(-1, 10);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).counts().spans()).isEqualTo(10);
    assertThat(frames.get(0).sequence()).isZero();
    assertThat(sealed).hasValue(1);
    assertThat(Chunks.spanNumbers(codec.decode(frames.get(0).bytes())))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void sealsABatchBeforeAChunkWouldOverflowMaxBytes() {
    long chunkBytes = Chunks.spans(0, 10, false).sizeBytes();
    buffer = builder().batchMaxBytes(chunkBytes * 3 + chunkBytes / 2).build();
    for (int i = 0; i < 4; i++) {
      buffer.accept(Chunks.spans(i * 10L, 10, false));
    }

    List<SealedFrame> frames = buffer.framesAfter(-1, 10);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).counts().spans()).isEqualTo(30);
    TelemetryFrame decoded = codec.decode(frames.get(0).bytes());
    assertThat(decoded.traces().getSerializedSize()).isLessThanOrEqualTo((int) (chunkBytes * 3.5));
  }

  @Test
  void sealsABatchAtMaxDelayOnTheTimer() {
    buffer = builder().batchMaxDelay(Duration.ofSeconds(5)).build();
    buffer.accept(Chunks.spans(0, 3, false));
    clock.advance(Duration.ofMillis(4999));
    timer.runAll();
    assertThat(buffer.framesAfter(-1, 10)).isEmpty();

    clock.advance(Duration.ofMillis(1));
    timer.runAll();

    assertThat(buffer.framesAfter(-1, 10))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.counts().spans()).isEqualTo(3);
          assertThat(f.priority()).isFalse();
        });
  }

  @Test
  void framesDecodeToExactlyTheChunksThatWentIn() {
    buffer = builder().batchMaxItems(100).build();
    SplittableRandom random = new SplittableRandom(42);
    TracesData.Builder traces = TracesData.newBuilder();
    LogsData.Builder logs = LogsData.newBuilder();
    MetricsData.Builder metrics = MetricsData.newBuilder();
    for (int i = 0; i < 300; i++) {
      TelemetryChunk chunk =
          switch (random.nextInt(3)) {
            case 0 -> Chunks.spans(i * 100L, 1 + random.nextInt(20), false);
            case 1 -> Chunks.logs(i * 100L, 1 + random.nextInt(20), false);
            default -> Chunks.points(i * 100L, 1 + random.nextInt(20));
          };
      traces.addAllResourceSpans(chunk.traces().getResourceSpansList());
      logs.addAllResourceLogs(chunk.logs().getResourceLogsList());
      metrics.addAllResourceMetrics(chunk.metrics().getResourceMetricsList());
      assertThat(buffer.accept(chunk).status()).isEqualTo(IntakeResult.Status.ACCEPTED);
    }
    buffer.close();

    TracesData.Builder outTraces = TracesData.newBuilder();
    LogsData.Builder outLogs = LogsData.newBuilder();
    MetricsData.Builder outMetrics = MetricsData.newBuilder();
    Set<BatchId> ids = new HashSet<>();
    long sequence = -1;
    for (SealedFrame sealed : buffer.framesAfter(-1, Integer.MAX_VALUE)) {
      assertThat(sealed.sequence()).isEqualTo(sequence + 1);
      sequence = sealed.sequence();
      TelemetryFrame frame = codec.decode(sealed.bytes());
      assertThat(frame.batchId()).isEqualTo(sealed.batchId());
      assertThat(ids.add(frame.batchId())).isTrue();
      assertThat(frame.counts()).isEqualTo(sealed.counts());
      assertThat(frame.counts().total()).isLessThanOrEqualTo(100 + 19);
      outTraces.addAllResourceSpans(frame.traces().getResourceSpansList());
      outLogs.addAllResourceLogs(frame.logs().getResourceLogsList());
      outMetrics.addAllResourceMetrics(frame.metrics().getResourceMetricsList());
    }
    assertThat(outTraces.build()).isEqualTo(traces.build());
    assertThat(outLogs.build()).isEqualTo(logs.build());
    assertThat(outMetrics.build()).isEqualTo(metrics.build());
  }

  @Test
  void keepsPriorityAndOtherDataInSeparateFrames() {
    buffer = builder().batchMaxItems(4).build();
    buffer.accept(Chunks.spans(0, 2, false));
    buffer.accept(Chunks.spans(100, 2, true));
    buffer.accept(Chunks.spans(2, 2, false));
    buffer.accept(Chunks.spans(102, 2, true));

    List<SealedFrame> frames = buffer.framesAfter(-1, 10);
    assertThat(frames).extracting(SealedFrame::priority).containsExactly(false, true);
    assertThat(Chunks.spanNumbers(codec.decode(frames.get(1).bytes())))
        .containsExactly(100L, 101L, 102L, 103L);
  }

  @Test
  void refusesDataWithoutPriorityAboveTheWatermarkWithARetryAfter() {
    long chunkBytes = Chunks.spans(0, 50, false).sizeBytes();
    buffer =
        builder()
            .maxBytes(chunkBytes * 10)
            .batchMaxBytes(chunkBytes * 2)
            .highWatermark(0.5)
            .retryAfter(Duration.ofSeconds(3))
            .build();
    int accepted = 0;
    IntakeResult result;
    while ((result = buffer.accept(Chunks.spans(accepted * 50L, 50, false))).status()
        == IntakeResult.Status.ACCEPTED) {
      accepted++;
    }

    assertThat(result.isRefused()).isTrue();
    assertThat(result.rejectedItems()).isEqualTo(50);
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(result.message()).contains("full");
    assertThat(buffer.stats().usedBytes()).isLessThanOrEqualTo(chunkBytes * 5);
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.REFUSED)).isEqualTo(50);
    // Errors still fit above the watermark.
    assertThat(buffer.accept(Chunks.spans(1_000_000, 50, true))).isEqualTo(IntakeResult.accepted());
  }

  @Test
  void priorityDataEvictsTheOldestFramesWithoutPriorityFirst() {
    long chunkBytes = Chunks.spans(0, 20, false).sizeBytes();
    buffer =
        builder().maxBytes(chunkBytes * 12).batchMaxBytes(chunkBytes * 2).batchMaxItems(20).build();
    List<Long> errors = new ArrayList<>();
    List<Long> normals = new ArrayList<>();
    long next = 0;
    // Alternate normal and error frames until normal data is refused at the watermark.
    for (int i = 0; ; i++) {
      boolean error = i % 2 == 1;
      if (buffer.accept(Chunks.spans(next, 20, error)).isRefused()) {
        assertThat(error).isFalse();
        break;
      }
      for (long n = next; n < next + 20; n++) {
        (error ? errors : normals).add(n);
      }
      next += 20;
    }
    // Only priority chunks get in now, evicting the oldest normal frames.
    while (buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL) < 100) {
      assertThat(buffer.accept(Chunks.spans(next, 20, true))).isEqualTo(IntakeResult.accepted());
      for (long n = next; n < next + 20; n++) {
        errors.add(n);
      }
      next += 20;
    }

    List<Long> present = new ArrayList<>();
    decodeAll().forEach(f -> present.addAll(Chunks.spanNumbers(f)));
    assertThat(present).containsAll(errors);
    long missing = next - present.size();
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL))
        .isEqualTo(missing);
    assertThat(present).doesNotContainAnyElementsOf(normals.subList(0, (int) missing));
    assertThat(present).containsAll(normals.subList((int) missing, normals.size()));
    assertThat(buffer.stats().usedBytes()).isLessThanOrEqualTo(chunkBytes * 12);
  }

  @Test
  void priorityDataEvictsOlderPriorityFramesWhenNothingElseIsLeft() {
    long chunkBytes = Chunks.spans(0, 20, true).sizeBytes();
    buffer =
        builder().maxBytes(chunkBytes * 6).batchMaxBytes(chunkBytes * 2).batchMaxItems(20).build();
    for (int i = 0; i < 30; i++) {
      assertThat(buffer.accept(Chunks.spans(i * 20L, 20, true))).isEqualTo(IntakeResult.accepted());
    }
    List<Long> present = new ArrayList<>();
    decodeAll().forEach(f -> present.addAll(Chunks.spanNumbers(f)));
    assertThat(present).contains(580L, 599L).doesNotContain(0L);
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL))
        .isEqualTo(600 - present.size());
  }

  @Test
  void aPriorityChunkThatCannotFitEvenInAnEmptyBufferEvictsNothing() {
    long chunkBytes = Chunks.spans(0, 20, false).sizeBytes();
    buffer =
        builder()
            .codec(TelemetryFrameCodec.create(new FrameLimits(64 << 10, 1 << 20, 200), 3), 64 << 10)
            .maxBytes(chunkBytes * 6)
            .batchMaxBytes(chunkBytes * 2)
            .batchMaxItems(40)
            .build();
    for (int i = 0; i < 4; i++) {
      assertThat(buffer.accept(Chunks.spans(i * 20L, 20, false)))
          .isEqualTo(IntakeResult.accepted());
    }
    int frames = buffer.stats().frames();
    assertThat(frames).isPositive();
    TelemetryChunk tooBig = Chunks.spans(1000, 140, true);
    assertThat(tooBig.sizeBytes()).isGreaterThan(chunkBytes * 6).isLessThan(60 << 10);

    assertThat(buffer.accept(tooBig).isRefused()).isTrue();

    assertThat(buffer.stats().frames()).isEqualTo(frames);
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL)).isZero();
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.REFUSED)).isEqualTo(140);
  }

  @Test
  void acknowledgingFreesTheFrameAndUnknownIdsAreIgnored() {
    buffer = builder().batchMaxItems(5).build();
    buffer.accept(Chunks.spans(0, 5, false));
    buffer.accept(Chunks.spans(5, 5, false));
    List<SealedFrame> frames = buffer.framesAfter(-1, 10);
    long used = buffer.stats().usedBytes();

    buffer.acknowledge(frames.get(0).batchId());
    buffer.acknowledge(frames.get(0).batchId());
    buffer.acknowledge(BatchId.random());

    assertThat(buffer.framesAfter(-1, 10)).containsExactly(frames.get(1));
    assertThat(buffer.framesAfter(frames.get(1).sequence(), 10)).isEmpty();
    assertThat(buffer.stats().usedBytes()).isEqualTo(used - frames.get(0).bytes().length);
    buffer.acknowledge(frames.get(1).batchId());
    assertThat(buffer.stats().usedBytes()).isZero();
  }

  @Test
  void framesAfterHonoursTheCursorAndTheLimit() {
    buffer = builder().batchMaxItems(1).build();
    for (int i = 0; i < 10; i++) {
      buffer.accept(Chunks.spans(i, 1, false));
    }
    assertThat(buffer.framesAfter(-1, 3))
        .extracting(SealedFrame::sequence)
        .containsExactly(0L, 1L, 2L);
    assertThat(buffer.framesAfter(7, 5)).extracting(SealedFrame::sequence).containsExactly(8L, 9L);
  }

  @Test
  void aChunkLargerThanTheLargestFrameIsRejectedAsPartial() {
    buffer =
        builder()
            .codec(TelemetryFrameCodec.create(new FrameLimits(64 << 10, 1 << 20, 200), 3), 64 << 10)
            .batchMaxBytes(16 << 10)
            .build();
    TelemetryChunk huge = Chunks.spans(0, 2000, true);
    assertThat(huge.sizeBytes()).isGreaterThan(64 << 10);

    IntakeResult result = buffer.accept(huge);

    assertThat(result.status()).isEqualTo(IntakeResult.Status.PARTIAL);
    assertThat(result.rejectedItems()).isEqualTo(2000);
    assertThat(result.message()).contains("exceeds the largest telemetry frame");
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.TOO_LARGE)).isEqualTo(2000);
    // A chunk above batchMaxBytes that fits a frame travels alone.
    TelemetryChunk big = Chunks.spans(0, 400, false);
    assertThat(big.sizeBytes()).isBetween(16L << 10, 60L << 10);
    assertThat(buffer.accept(big)).isEqualTo(IntakeResult.accepted());
    assertThat(buffer.framesAfter(-1, 10))
        .singleElement()
        .satisfies(f -> assertThat(f.bytes().length).isLessThanOrEqualTo(64 << 10));
  }

  @Test
  void anIncompressibleChunkOfExactlyTheLargestSizeSealsIntoAFrameThatFits() {
    TelemetryBufferBuilder small =
        builder()
            .codec(TelemetryFrameCodec.create(new FrameLimits(64 << 10, 1 << 20, 200), 3), 64 << 10)
            .batchMaxBytes(16 << 10);
    long limit = small.maxChunkBytes();
    buffer = small.build();
    TelemetryChunk largest = incompressible(limit);
    assertThat(largest.sizeBytes()).isEqualTo(limit);

    assertThat(buffer.accept(incompressible(limit + 1)).status())
        .isEqualTo(IntakeResult.Status.PARTIAL);
    assertThat(buffer.accept(largest)).isEqualTo(IntakeResult.accepted());

    assertThat(buffer.framesAfter(-1, 10))
        .singleElement()
        .satisfies(f -> assertThat(f.bytes().length).isLessThanOrEqualTo(64 << 10));
    assertThat(decodeAll().getFirst().traces()).isEqualTo(largest.traces());
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.TOO_LARGE)).isEqualTo(1);
  }

  /** One span whose random attribute makes the chunk exactly {@code sizeBytes}. */
  private static TelemetryChunk incompressible(long sizeBytes) {
    SplittableRandom random = new SplittableRandom(7);
    TelemetryChunk base = Chunks.spans(0, 1, false);
    int length = (int) (sizeBytes - base.sizeBytes());
    while (true) {
      byte[] noise = new byte[length];
      random.nextBytes(noise);
      Span.Builder span =
          base.traces().getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder();
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey("k")
              .setValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(noise))));
      TracesData.Builder traces = base.traces().toBuilder();
      traces.getResourceSpansBuilder(0).getScopeSpansBuilder(0).setSpans(0, span);
      TelemetryChunk chunk = TelemetryChunk.of(traces.build(), false);
      if (chunk.sizeBytes() == sizeBytes) {
        return chunk;
      }
      length += (int) (sizeBytes - chunk.sizeBytes());
    }
  }

  @Test
  void dropAlertFiresOnceThenRearmsAfterAQuietPeriod() {
    long chunkBytes = Chunks.spans(0, 10, false).sizeBytes();
    buffer = builder().maxBytes(chunkBytes * 4).batchMaxBytes(chunkBytes * 2).build();
    long n = 0;
    while (!buffer.accept(Chunks.spans(n, 10, false)).isRefused()) {
      n += 10;
    }
    for (int i = 0; i < 20; i++) {
      buffer.accept(Chunks.spans(0, 10, false));
    }
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).droppedInWindow()).isGreaterThanOrEqualTo(50);
    assertThat(alerts.get(0).totals())
        .contains(new DropCounters.Count(Signal.TRACES, DropReason.REFUSED, 50));

    clock.advance(Duration.ofMinutes(4));
    for (int i = 0; i < 10; i++) {
      buffer.accept(Chunks.spans(0, 10, false));
    }
    assertThat(alerts).hasSize(1);
    clock.advance(Duration.ofMinutes(5));
    timer.runAll();
    // The timer sealed the open batch (frames are compressed, so some room came back).
    for (int i = 0; i < 40; i++) {
      buffer.accept(Chunks.spans(0, 10, false));
    }
    assertThat(alerts).hasSize(2);
  }

  @Test
  void closeSealsOpenBatchesRefusesLaterChunksAndIsIdempotent() {
    buffer = builder().build();
    buffer.accept(Chunks.spans(0, 3, false));
    buffer.accept(Chunks.spans(3, 3, true));

    buffer.close();
    buffer.close();

    assertThat(buffer.framesAfter(-1, 10)).hasSize(2);
    assertThat(timer.scheduled()).isZero();
    IntakeResult late = buffer.accept(Chunks.spans(6, 1, false));
    assertThat(late.isRefused()).isTrue();
    assertThat(late.message()).contains("closed");
  }

  @Test
  void anOwnedTimerThreadStopsOnClose() {
    TelemetryBuffer own = TelemetryBuffer.builder().build();
    own.accept(Chunks.spans(0, 1, false));
    own.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("syntra-telemetry-buffer") && t.isAlive());
  }

  @Test
  void emptyChunksAreAcceptedAndIgnored() {
    buffer = builder().build();
    assertThat(
            buffer.accept(
                new TelemetryChunk(
                    TracesData.getDefaultInstance(),
                    LogsData.getDefaultInstance(),
                    MetricsData.getDefaultInstance(),
                    false)))
        .isEqualTo(IntakeResult.accepted());
    buffer.close();
    assertThat(buffer.framesAfter(-1, 10)).isEmpty();
  }

  @Test
  void contradictorySettingsFailFast() {
    assertThatThrownBy(() -> builder().batchMaxBytes(8 << 20).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrameBytes");
    assertThatThrownBy(() -> builder().maxBytes(1 << 20).build())
        .hasMessageContaining("twice batchMaxBytes");
    assertThatThrownBy(() -> builder().highWatermark(1.5)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> builder().batchMaxItems(0)).hasMessageContaining("positive");
  }
}
