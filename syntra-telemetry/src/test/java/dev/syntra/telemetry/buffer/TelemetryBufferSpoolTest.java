package dev.syntra.telemetry.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.Signal;
import dev.syntra.telemetry.pipeline.IntakeResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryBufferSpoolTest {
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();
  private final MutableClock clock = new MutableClock();
  private final ManualTimer timer = new ManualTimer();
  @TempDir Path dir;

  private TelemetryBufferBuilder builder() {
    return TelemetryBuffer.builder()
        .clock(clock)
        .timer(timer)
        .spool(dir.resolve("spool"))
        .batchMaxDelay(Duration.ofHours(1));
  }

  /** Span numbers in every frame, in order, after sealing what is open. */
  private List<Long> closeAndCollect(TelemetryBuffer buffer) {
    buffer.close();
    List<Long> out = new ArrayList<>();
    buffer
        .framesAfter(-1, Integer.MAX_VALUE)
        .forEach(f -> out.addAll(Chunks.spanNumbers(codec.decode(f.bytes()))));
    return out;
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      return files.sorted().toList();
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void replayRebuildsUnacknowledgedFramesWithTheirBatchIdsAndReopensUnsealedChunks() {
    // A crash: the first buffer is abandoned, never closed.
    TelemetryBuffer first = builder().batchMaxItems(10).build();
    for (int i = 0; i < 5; i++) {
      first.accept(Chunks.spans(i * 5L, 5, i % 2 == 0));
    }
    first.accept(Chunks.spans(100, 5, false));
    List<SealedFrame> before = first.framesAfter(-1, 10);
    assertThat(before).hasSize(2);
    first.acknowledge(before.get(0).batchId());

    TelemetryBuffer second = builder().batchMaxItems(10).build();

    List<SealedFrame> replayed = second.framesAfter(-1, 10);
    assertThat(replayed).hasSize(1);
    assertThat(replayed.get(0).batchId()).isEqualTo(before.get(1).batchId());
    assertThat(replayed.get(0).priority()).isEqualTo(before.get(1).priority());
    assertThat(codec.decode(replayed.get(0).bytes()))
        .isEqualTo(codec.decode(before.get(1).bytes()));
    List<Long> all = closeAndCollect(second);
    // The unsealed chunks (one priority, one not) come back in new frames with new ids.
    List<SealedFrame> after = second.framesAfter(0, 10);
    assertThat(after).hasSize(2);
    assertThat(after).extracting(SealedFrame::batchId).doesNotContain(before.get(0).batchId());
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    Chunks.spanNumbers(codec.decode(before.get(1).bytes())),
                    range(20, 25),
                    range(100, 105))
                .flatMap(List::stream)
                .toList());
  }

  @Test
  void aSpoolThatClosedCleanlyReplaysEveryUnacknowledgedFrame() {
    TelemetryBuffer first = builder().build();
    first.accept(Chunks.spans(0, 7, false));
    first.close();
    BatchId id = first.framesAfter(-1, 1).get(0).batchId();

    TelemetryBuffer second = builder().build();
    assertThat(second.framesAfter(-1, 10)).extracting(SealedFrame::batchId).containsExactly(id);
    second.acknowledge(id);
    second.close();

    TelemetryBuffer third = builder().build();
    assertThat(third.framesAfter(-1, 10)).isEmpty();
    third.close();
  }

  @Test
  void aTornTailIsTruncatedAtTheLastGoodRecord() throws IOException {
    TelemetryBuffer first = builder().build();
    for (int i = 0; i < 10; i++) {
      first.accept(Chunks.spans(i * 10L, 10, false));
    }
    Path segment = segments().getLast();
    long size = Files.size(segment);
    long lastRecord = Chunks.spans(90, 10, false).sizeBytes() + 30;
    // Cut the last record in the middle, as a crash during the write would.
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(size - lastRecord / 2);
    }

    TelemetryBuffer second = builder().build();

    assertThat(second.stats().spoolTruncations()).isEqualTo(1);
    assertThat(Files.size(segment)).isEqualTo(size - lastRecord);
    assertThat(closeAndCollect(second)).containsExactlyElementsOf(range(0, 90));
  }

  @Test
  void aCorruptRecordInTheMiddleTruncatesItsSegmentThereAndLaterSegmentsStillReplay()
      throws IOException {
    // Span numbers of four digits: every record has the same size.
    long record = Chunks.spans(1000, 10, false).sizeBytes() + 30;
    // Ten records per segment.
    TelemetryBuffer first = builder().spoolSegmentBytes(8 + record * 10).build();
    for (int i = 0; i < 25; i++) {
      first.accept(Chunks.spans(1000 + i * 10L, 10, false));
    }
    List<Path> segments = segments();
    assertThat(segments).hasSize(3);
    // Flip a payload byte of the fourth record of the first segment: its CRC no longer matches.
    try (RandomAccessFile file = new RandomAccessFile(segments.get(0).toFile(), "rw")) {
      long at = 8 + record * 3 + record / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x40);
    }

    TelemetryBuffer second = builder().spoolSegmentBytes(8 + record * 10).build();

    assertThat(second.stats().spoolTruncations()).isEqualTo(1);
    assertThat(Files.size(segments.get(0))).isEqualTo(8 + record * 3);
    List<Long> expected = new ArrayList<>(range(1000, 1030));
    expected.addAll(range(1100, 1250));
    assertThat(closeAndCollect(second)).containsExactlyElementsOf(expected);
  }

  @Test
  void acknowledgingEveryBatchDeletesTheSegments() throws IOException {
    long record = Chunks.spans(0, 10, false).sizeBytes() + 30;
    TelemetryBuffer buffer = builder().spoolSegmentBytes(8 + record * 4).batchMaxItems(30).build();
    for (int i = 0; i < 60; i++) {
      assertThat(buffer.accept(Chunks.spans(i * 10L, 10, i % 3 == 0)))
          .isEqualTo(IntakeResult.accepted());
    }
    assertThat(segments().size()).isGreaterThan(10);
    buffer.accept(Chunks.spans(10_000, 30, false)); // seals the last open batch
    buffer.accept(Chunks.spans(20_000, 30, true));

    for (SealedFrame frame : buffer.framesAfter(-1, Integer.MAX_VALUE)) {
      buffer.acknowledge(frame.batchId());
    }

    assertThat(buffer.stats().frames()).isZero();
    assertThat(segments()).hasSize(1);
    assertThat(buffer.stats().spoolSegments()).isEqualTo(1);
    assertThat(buffer.stats().spoolBytes()).isEqualTo(Files.size(segments().get(0)));
    buffer.close();
    assertThat(builder().build().framesAfter(-1, 10)).isEmpty();
  }

  @Test
  void aFrameThatIsNeverAcknowledgedIsEvictedOnceTheSpoolFilesReachTheirBound() {
    long maxBytes = 64 << 10;
    long segmentBytes = 8 << 10;
    TelemetryBuffer buffer =
        builder()
            .maxBytes(maxBytes)
            .batchMaxBytes(8 << 10)
            .batchMaxItems(20)
            .spoolSegmentBytes(segmentBytes)
            .build();
    buffer.accept(Chunks.spans(0, 20, true));
    SealedFrame stuck = buffer.framesAfter(-1, 1).get(0);
    long next = 20;
    while (buffer.framesAfter(-1, 1).contains(stuck)) {
      assertThat(next).as("the stuck frame was never evicted").isLessThan(1_000_000);
      buffer.accept(Chunks.spans(next, 20, false));
      next += 20;
      for (SealedFrame frame : buffer.framesAfter(0, Integer.MAX_VALUE)) {
        buffer.acknowledge(frame.batchId());
      }
      assertThat(buffer.stats().spoolBytes()).isLessThanOrEqualTo(2 * maxBytes + 2 * segmentBytes);
    }
    assertThat(buffer.dropCounters().items(Signal.TRACES, DropReason.BUFFER_FULL)).isEqualTo(20);
    buffer.close();
  }

  @Test
  void spoolFilesArePrivate() throws IOException {
    TelemetryBuffer buffer = builder().build();
    buffer.accept(Chunks.spans(0, 1, false));
    buffer.close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("spool"))))
        .isEqualTo("rwx------");
    for (Path segment : segments()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(segment)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void fsyncAlwaysForcesBeforeAcceptReturns() {
    TelemetryBuffer buffer = builder().fsync(FsyncPolicy.always()).build();
    buffer.accept(Chunks.spans(0, 1, false));
    buffer.accept(Chunks.spans(1, 1, false));
    assertThat(buffer.stats().spoolFsyncs()).isEqualTo(2);
    buffer.close();
  }

  @Test
  void fsyncIntervalForcesOnTheTimerOnly() {
    TelemetryBuffer buffer = builder().fsync(FsyncPolicy.interval(Duration.ofSeconds(1))).build();
    buffer.accept(Chunks.spans(0, 1, false));
    buffer.accept(Chunks.spans(1, 1, false));
    timer.runAll();
    assertThat(buffer.stats().spoolFsyncs()).isZero();

    clock.advance(Duration.ofSeconds(1));
    timer.runAll();
    timer.runAll();

    assertThat(buffer.stats().spoolFsyncs()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    timer.runAll();
    // Nothing new was written: no fsync needed.
    assertThat(buffer.stats().spoolFsyncs()).isEqualTo(1);
    buffer.close();
  }

  @Test
  void fsyncNeverLeavesItToTheOperatingSystem() {
    TelemetryBuffer buffer = builder().fsync(FsyncPolicy.never()).build();
    buffer.accept(Chunks.spans(0, 1, false));
    clock.advance(Duration.ofMinutes(1));
    timer.runAll();
    assertThat(buffer.stats().spoolFsyncs()).isZero();
    buffer.close();
  }
}
