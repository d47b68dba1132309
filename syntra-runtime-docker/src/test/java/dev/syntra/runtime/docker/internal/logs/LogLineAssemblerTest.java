package dev.syntra.runtime.docker.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineAssemblerTest {
  private static final String TS1 = "2026-11-26T14:16:00.971908830Z";
  private static final String TS2 = "2026-11-26T14:16:01.000000001Z";
  private static final Instant FALLBACK = Instant.parse("2000-01-01T00:00:00Z");

  private final List<LogLine> lines = new ArrayList<>();

  private LogLineAssembler assembler(LogLineAssembler.Mode mode) {
    return new LogLineAssembler("syn-p-s-abc-0", LogLine.Stream.STDERR, mode, () -> FALLBACK);
  }

  private void feed(LogLineAssembler assembler, String text) {
    feed(assembler, text.getBytes(StandardCharsets.UTF_8));
  }

  private void feed(LogLineAssembler assembler, byte[] bytes) {
    assembler.accept(bytes, 0, bytes.length, lines::add);
  }

  /** Feeds one daemon frame the way docker-java delivers it: in chunks of at most 1024 bytes. */
  private void feedFrame(LogLineAssembler assembler, byte[] frame) {
    for (int off = 0; off < frame.length; off += 1024) {
      byte[] chunk = Arrays.copyOfRange(frame, off, Math.min(frame.length, off + 1024));
      feed(assembler, chunk);
    }
  }

  @Test
  void stripsTheDaemonTimestampAndTheNewline() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, TS1 + " hello world\n");
    feed(a, TS2 + " second\n");

    assertThat(lines)
        .containsExactly(
            new LogLine(Instant.parse(TS1), LogLine.Stream.STDERR, "syn-p-s-abc-0", "hello world"),
            new LogLine(Instant.parse(TS2), LogLine.Stream.STDERR, "syn-p-s-abc-0", "second"));
  }

  @Test
  void buffersAPartialLineUntilItsNewlineAndDropsTheContinuationTimestamp() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, TS1 + " first half, ");
    assertThat(lines).isEmpty();

    feed(a, TS2 + " second half\n");

    assertThat(lines)
        .singleElement()
        .satisfies(l -> {
          assertThat(l.message()).isEqualTo("first half, second half");
          assertThat(l.at()).isEqualTo(Instant.parse(TS1));
        });
  }

  @Test
  void joinsTheChunksOfOneLongFrame() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    String text = "x".repeat(3000);
    feedFrame(a, (TS1 + " " + text + "\n").getBytes(StandardCharsets.UTF_8));

    assertThat(lines).singleElement().extracting(LogLine::message).isEqualTo(text);
  }

  @Test
  void splitsLinesLongerThan16KiBAsTheDaemonDoes() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    // The json-file driver writes a 20000-byte line as a 16 KiB partial frame plus the rest.
    feedFrame(a, (TS1 + " " + "a".repeat(16384)).getBytes(StandardCharsets.UTF_8));
    feedFrame(a, (TS1 + " " + "a".repeat(3616) + "\n").getBytes(StandardCharsets.UTF_8));

    assertThat(lines).extracting(l -> l.message().length()).containsExactly(16384, 3616);
    assertThat(lines).allSatisfy(l -> assertThat(l.message()).matches("a+"));
  }

  @Test
  void neverSplitsInsideAUtf8Character() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    String text = "a".repeat(LogLineAssembler.MAX_LINE_BYTES - 1) + "é and more";
    feedFrame(a, (TS1 + " " + text + "\n").getBytes(StandardCharsets.UTF_8));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).message()).isEqualTo("a".repeat(LogLineAssembler.MAX_LINE_BYTES - 1));
    assertThat(lines.get(1).message()).isEqualTo("é and more");
  }

  @Test
  void finishEmitsALastLineWithoutNewline() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, TS1 + " no newline at the end");
    assertThat(lines).isEmpty();

    a.finish(lines::add);

    assertThat(lines)
        .singleElement()
        .extracting(LogLine::message)
        .isEqualTo("no newline at the end");
  }

  @Test
  void stripsATimestampThatAShortReadSplitOverTwoChunks() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, TS1 + " first\n");
    for (int cut : new int[] {1, 16, 29, 30}) {
      feed(a, TS2.substring(0, cut));
      feed(a, TS2.substring(cut) + " second " + cut + "\n");
    }

    assertThat(lines)
        .extracting(LogLine::message)
        .containsExactly("first", "second 1", "second 16", "second 29", "second 30");
    assertThat(lines).extracting(LogLine::at).last().isEqualTo(Instant.parse(TS2));
    assertThat(lines.get(1).at()).isEqualTo(Instant.parse(TS2));
  }

  @Test
  void keepsTextThatOnlyLooksLikeATimestampInsideALine() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, TS1 + " started at " + TS2 + " ok\n");

    assertThat(lines)
        .singleElement()
        .extracting(LogLine::message)
        .isEqualTo("started at " + TS2 + " ok");
  }

  @Test
  void usesTheFallbackTimeWhenThereIsNoTimestamp() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.MULTIPLEXED);
    feed(a, "plain text\n");

    assertThat(lines)
        .singleElement()
        .satisfies(l -> {
          assertThat(l.message()).isEqualTo("plain text");
          assertThat(l.at()).isEqualTo(FALLBACK);
        });
  }

  @Test
  void rawTtyStreamsParseTheTimestampAtEachLineStartWhateverTheChunking() {
    LogLineAssembler a = assembler(LogLineAssembler.Mode.RAW);
    byte[] bytes = (TS1 + " one\r\n" + TS2 + " two\r\n").getBytes(StandardCharsets.UTF_8);
    // docker-java hands a raw stream over as its first byte, then chunks of any size.
    feed(a, Arrays.copyOfRange(bytes, 0, 1));
    feed(a, Arrays.copyOfRange(bytes, 1, 40));
    feed(a, Arrays.copyOfRange(bytes, 40, bytes.length));

    assertThat(lines).extracting(LogLine::message).containsExactly("one", "two");
    assertThat(lines)
        .extracting(LogLine::at)
        .containsExactly(Instant.parse(TS1), Instant.parse(TS2));
  }

  @Test
  void acceptsTimestampsWithAnOffset() {
    byte[] bytes = "2026-11-26T15:16:00.5+01:00 x".getBytes(StandardCharsets.US_ASCII);
    assertThat(LogLineAssembler.timestampPrefix(bytes, 0, bytes.length)).isEqualTo(28);
  }

  @Test
  void utf8SafeCutBacksOffAnIncompleteSequenceOnly() {
    byte[] complete = "aé".getBytes(StandardCharsets.UTF_8);
    assertThat(LogLineAssembler.utf8SafeCut(complete, complete.length)).isEqualTo(3);
    byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);
    assertThat(LogLineAssembler.utf8SafeCut(euro, 3)).isEqualTo(1);
    assertThat(LogLineAssembler.utf8SafeCut(euro, 2)).isEqualTo(1);
  }
}
