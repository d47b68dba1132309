package dev.syntra.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultilineJoinerTest {
  private final List<LogDraft> out = new ArrayList<>();
  private MultilineJoiner joiner =
      new MultilineJoiner("web-1", LogLine.Stream.STDERR, 500, 64 * 1024);
  private int n;

  private void feed(String... lines) {
    for (String line : lines) {
      Instant at = Instant.ofEpochSecond(1_000, ++n);
      LogDraft done =
          joiner.offer(
              new LogLine(at, LogLine.Stream.STDERR, "web-1", line), new LogPosition(at, 1), n);
      if (done != null) {
        out.add(done);
      }
    }
  }

  private List<String> flush() {
    LogDraft last = joiner.flushIfIdle(Long.MAX_VALUE, 0);
    if (last != null) {
      out.add(last);
    }
    return out.stream().map(LogDraft::text).toList();
  }

  @Test
  void joinsAJavaStackTraceWithCausesIntoTheLineBeforeIt() {
    feed(
        "12:00 ERROR request failed",
        "java.lang.IllegalStateException: boom",
        "\tat com.example.Web.handle(Web.java:10)",
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
        "Caused by: java.io.IOException: closed",
        "\tat com.example.Db.read(Db.java:3)",
        "\t... 2 more",
        "12:01 INFO next request");
    assertThat(flush())
        .containsExactly(
            String.join(
                "\n",
                "12:00 ERROR request failed",
                "java.lang.IllegalStateException: boom",
                "\tat com.example.Web.handle(Web.java:10)",
                "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
                "Caused by: java.io.IOException: closed",
                "\tat com.example.Db.read(Db.java:3)",
                "\t... 2 more"),
            "12:01 INFO next request");
    assertThat(out.get(0).stackTrace()).isTrue();
    assertThat(out.get(0).lines()).isEqualTo(7);
    assertThat(out.get(0).last().at()).isEqualTo(Instant.ofEpochSecond(1_000, 7));
  }

  @Test
  void joinsAPythonTracebackUpToItsExceptionLine() {
    feed(
        "ERROR:root:failed",
        "Traceback (most recent call last):",
        "  File \"app.py\", line 3, in <module>",
        "    main()",
        "ValueError: bad",
        "INFO:root:next");
    assertThat(flush()).hasSize(2).last().isEqualTo("INFO:root:next");
    assertThat(out.get(0).text()).endsWith("ValueError: bad").contains("    main()");
  }

  @Test
  void joinsNodeFramesAndGoGoroutines() {
    feed(
        "Error: nope",
        "    at Object.<anonymous> (/app/index.js:1:7)",
        "    at node:internal/main:1:1",
        "panic: runtime error: index out of range",
        "",
        "goroutine 1 [running]:",
        "main.main()",
        "\t/app/main.go:5 +0x1d",
        "exit status 2");
    List<String> records = flush();
    assertThat(records.get(0)).startsWith("Error: nope").endsWith("node:internal/main:1:1");
    assertThat(records)
        .anySatisfy(r ->
            assertThat(r)
                .startsWith("panic: runtime error")
                .contains("\n\ngoroutine 1 [running]:\nmain.main()")
                .endsWith("+0x1d"));
    assertThat(records).hasSize(3);
    assertThat(records).last().isEqualTo("exit status 2");
  }

  @Test
  void boundsARecordByLinesAndKeepsTheRestAsANewRecord() {
    joiner = new MultilineJoiner("web-1", LogLine.Stream.STDERR, 3, 64 * 1024);
    feed("Error: x", "    at a (a.js:1:1)", "    at b (b.js:1:1)", "    at c (c.js:1:1)");
    assertThat(flush())
        .containsExactly(
            "Error: x\n    at a (a.js:1:1)\n    at b (b.js:1:1)", "    at c (c.js:1:1)");
  }

  @Test
  void boundsARecordByBytes() {
    joiner = new MultilineJoiner("web-1", LogLine.Stream.STDERR, 500, 1024);
    String frame = "\tat " + "x".repeat(300);
    feed("java.lang.Error: y", frame, frame, frame, frame);
    List<String> records = flush();
    assertThat(records).hasSize(2);
    assertThat(records.get(0).length()).isLessThanOrEqualTo(1024);
  }

  @Test
  void flushesAPendingRecordOnlyAfterTheIdleTimeout() {
    feed("hello");
    assertThat(joiner.flushIfIdle(1 + 100, 500)).isNull();
    assertThat(joiner.flushIfIdle(1 + 500, 500)).isNotNull();
    assertThat(joiner.hasPending()).isFalse();
  }
}
