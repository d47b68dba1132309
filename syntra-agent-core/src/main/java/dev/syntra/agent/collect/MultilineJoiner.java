package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Joins the lines of one output stream of one replica into records: a stack trace (Java {@code \tat
 * ...}, {@code Caused by:}, {@code ... N more}; Node {@code at ...}; Python {@code Traceback (most
 * recent call last):} with its indented lines and the final exception line; Go {@code panic:} and
 * {@code goroutine N [...]:} with its frames) becomes one record together with the line before it.
 * A record closes when a line that does not continue it arrives, when it reaches {@code maxLines}
 * or {@code maxBytes}, or when no line came for the flush timeout ({@link #flushIfIdle}).
 *
 * <p>Not thread-safe: the owning tail guards it.
 */
final class MultilineJoiner {
  private static final Pattern JAVA_FRAME = Pattern.compile("^\\s+at \\S.*");
  private static final Pattern JAVA_MORE =
      Pattern.compile("^\\s*\\.\\.\\. \\d+ (more|common frames omitted).*");
  private static final Pattern JAVA_CAUSE = Pattern.compile("^\\s*(Caused by|Suppressed): .*");
  private static final Pattern EXCEPTION_LINE =
      Pattern.compile("^[a-zA-Z_$][\\w$]*(\\.[\\w$]+)+(Exception|Error|Throwable)(: .*)?$");
  private static final Pattern GO_GOROUTINE = Pattern.compile("^goroutine \\d+ \\[.*\\]:$");
  private static final Pattern GO_FUNCTION = Pattern.compile("^[\\w./*()\\[\\]{}%-]+\\(.*\\)$");
  private static final String PY_TRACEBACK = "Traceback (most recent call last):";

  private enum Mode {
    PLAIN,
    PYTHON,
    GO
  }

  private final String replicaId;
  private final LogLine.Stream stream;
  private final String key;
  private final int maxLines;
  private final int maxBytes;
  private @Nullable LogLine first;
  private final StringBuilder text = new StringBuilder();
  private int lines;
  private int bytes;
  private boolean stackTrace;
  private Mode mode = Mode.PLAIN;
  private @Nullable LogPosition last;
  private long lastLineNanos;

  MultilineJoiner(String replicaId, LogLine.Stream stream, int maxLines, int maxBytes) {
    this.replicaId = replicaId;
    this.stream = stream;
    this.key = LogPosition.key(replicaId, stream);
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /** Takes one line; returns the records it completed (at most one). */
  @Nullable LogDraft offer(LogLine line, LogPosition position, long nowNanos) {
    String message = line.message();
    int size = message.getBytes(StandardCharsets.UTF_8).length + 1;
    LogDraft done = null;
    boolean continues = first != null && continues(message);
    if (continues && (lines >= maxLines || bytes + size > maxBytes)) {
      continues = false; // bounded: the rest of the trace starts a new record
    }
    if (!continues) {
      done = take();
      mode = Mode.PLAIN;
      first = line;
      text.append(message);
      stackTrace = false;
    } else {
      text.append('\n').append(message);
      stackTrace = true;
    }
    enterMode(message);
    lines++;
    bytes += size;
    last = position;
    lastLineNanos = nowNanos;
    return done;
  }

  /** The pending record when no line came for {@code timeoutNanos}, else null. */
  @Nullable LogDraft flushIfIdle(long nowNanos, long timeoutNanos) {
    return first != null && nowNanos - lastLineNanos >= timeoutNanos ? take() : null;
  }

  boolean hasPending() {
    return first != null;
  }

  private boolean continues(String line) {
    return switch (mode) {
      case PYTHON -> true; // enterMode ends the traceback at its exception line
      case GO ->
          line.isEmpty()
              || line.startsWith("\t")
              || line.startsWith("created by ")
              || GO_GOROUTINE.matcher(line).matches()
              || GO_FUNCTION.matcher(line).matches();
      case PLAIN ->
          JAVA_FRAME.matcher(line).matches()
              || JAVA_MORE.matcher(line).matches()
              || JAVA_CAUSE.matcher(line).matches()
              || line.equals(PY_TRACEBACK)
              || GO_GOROUTINE.matcher(line).matches()
              || (stackTrace && EXCEPTION_LINE.matcher(line).matches())
              || (lines == 1 && EXCEPTION_LINE.matcher(line).matches() && looksLikeErrorLine());
    };
  }

  private boolean looksLikeErrorLine() {
    String head = text.length() > 200 ? text.substring(0, 200) : text.toString();
    return head.contains("ERROR") || head.contains("Exception") || head.contains("error");
  }

  private void enterMode(String line) {
    if (line.equals(PY_TRACEBACK)) {
      mode = Mode.PYTHON;
    } else if (lines == 0 && line.startsWith("panic: ")) {
      mode = Mode.GO; // a Go panic: a blank line, then the goroutines
    } else if (GO_GOROUTINE.matcher(line).matches()) {
      mode = Mode.GO;
    } else if (mode == Mode.PYTHON
        && !line.isEmpty()
        && !Character.isWhitespace(line.charAt(0))
        && !line.startsWith("During handling")
        && !line.startsWith("The above exception")) {
      mode = Mode.PLAIN; // "ValueError: ..." ends the traceback
    }
  }

  private @Nullable LogDraft take() {
    LogLine head = first;
    LogPosition end = last;
    if (head == null || end == null) {
      return null;
    }
    LogDraft draft =
        new LogDraft(head.at(), stream, replicaId, text.toString(), lines, stackTrace, key, end);
    first = null;
    text.setLength(0);
    lines = 0;
    bytes = 0;
    stackTrace = false;
    mode = Mode.PLAIN;
    return draft;
  }
}
