package dev.syntra.runtime.docker.internal.logs;

import dev.syntra.protocol.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns the byte chunks of one output stream of one container, as docker-java hands them over, into
 * {@link LogLine}s.
 *
 * <p>The daemon (asked for {@code timestamps=1}) writes every log message as one frame {@code "<RFC
 * 3339 nano timestamp> <text>[\n]"}; a message without its newline is a partial one (the json-file
 * driver splits lines at 16 KiB) and continues in the next frame, which carries its own timestamp
 * prefix. docker-java cuts each frame into chunks of at most 1024 bytes, so a timestamp can only
 * appear at the start of a chunk: in {@link Mode#MULTIPLEXED} mode a chunk that starts with a
 * well-formed timestamp followed by a space is taken as a new frame and the prefix is removed. (A
 * chunk boundary that falls exactly before user text that itself looks like such a timestamp would
 * be misread; the 1024-byte chunking makes that practically impossible.) docker-java also passes on
 * short reads of the daemon connection as chunks, so a frame's timestamp itself can be split; a
 * short chunk at a line start therefore has the prefix looked for again when its line is complete.
 * In {@link Mode#RAW} mode (containers with a TTY) chunks are arbitrary, so the timestamp is parsed
 * at each line start.
 *
 * <p>Lines longer than {@link #MAX_LINE_BYTES} are split there, never inside a UTF-8 sequence. A
 * line's timestamp is that of the frame it started in; without any timestamp the supplied fallback
 * clock reading is used.
 *
 * <p>Not thread-safe: one instance per stream, fed by that stream's reader thread.
 */
final class LogLineAssembler {
  /** Lines longer than this many bytes are split. */
  static final int MAX_LINE_BYTES = 16 * 1024;

  /** Longest timestamp prefix accepted: {@code 2006-01-02T15:04:05.999999999Z} plus offsets. */
  private static final int MAX_TIMESTAMP_CHARS = 40;

  /** How chunks relate to daemon frames. */
  enum Mode {
    /** stdout/stderr multiplexed: every frame starts a new chunk. */
    MULTIPLEXED,
    /** TTY: one raw byte stream, chunk boundaries are arbitrary. */
    RAW
  }

  private final String replicaId;
  private final LogLine.Stream stream;
  private final Mode mode;
  private final Supplier<Instant> fallbackTime;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int length;
  private @Nullable Instant frameAt;
  private @Nullable Instant lineAt;
  private boolean splitPrefix;

  LogLineAssembler(
      String replicaId, LogLine.Stream stream, Mode mode, Supplier<Instant> fallbackTime) {
    this.replicaId = replicaId;
    this.stream = stream;
    this.mode = mode;
    this.fallbackTime = fallbackTime;
  }

  /**
   * Consumes {@code len} bytes of {@code chunk} from {@code off}; complete lines go to {@code out}.
   */
  void accept(byte[] chunk, int off, int len, Consumer<LogLine> out) {
    int i = off;
    int end = off + len;
    if (mode == Mode.MULTIPLEXED) {
      int prefix = timestampPrefix(chunk, off, end);
      if (prefix > 0) {
        frameAt = parseTimestamp(chunk, off, prefix - 1);
        i += prefix;
      } else if (length == 0 && len <= MAX_TIMESTAMP_CHARS) {
        // docker-java passes short reads on as chunks, so a new frame's timestamp can be split
        // over two chunks: look for it at the start of the line once the line is complete.
        splitPrefix = true;
      }
    }
    for (; i < end; i++) {
      byte b = chunk[i];
      if (b == '\n') {
        emit(length, out);
        continue;
      }
      if (length == 0 && lineAt == null) {
        lineAt = frameAt;
      }
      line[length++] = b;
      if (length == MAX_LINE_BYTES) {
        emit(utf8SafeCut(line, length), out);
      }
    }
  }

  /** Emits what is buffered as a last line (the stream ended without a newline). */
  void finish(Consumer<LogLine> out) {
    if (length > 0) {
      emit(length, out);
    }
  }

  /** Emits the first {@code cut} buffered bytes as a line and keeps the rest for the next one. */
  private void emit(int cut, Consumer<LogLine> out) {
    int start = 0;
    Instant at = lineAt;
    if (mode == Mode.RAW || splitPrefix) {
      splitPrefix = false;
      int prefix = timestampPrefix(line, 0, cut);
      if (prefix > 0) {
        at = parseTimestamp(line, 0, prefix - 1);
        start = prefix;
      }
    }
    if (at == null) {
      at = frameAt != null ? frameAt : fallbackTime.get();
    }
    int stop = cut;
    if (mode == Mode.RAW && stop > start && line[stop - 1] == '\r') {
      stop--; // a TTY ends lines with CR LF
    }
    String message = new String(line, start, stop - start, StandardCharsets.UTF_8);
    int rest = length - cut;
    System.arraycopy(line, cut, line, 0, rest);
    length = rest;
    lineAt = rest > 0 ? at : null;
    out.accept(new LogLine(at, stream, replicaId, message));
  }

  /**
   * Length of a {@code "<timestamp> "} prefix at {@code off}, including the space, or 0 when the
   * bytes there do not start with a timestamp the daemon writes ({@code yyyy-mm-ddThh:mm:ss[.n]Z}
   * or with a numeric offset).
   */
  static int timestampPrefix(byte[] bytes, int off, int end) {
    int limit = Math.min(end, off + MAX_TIMESTAMP_CHARS + 1);
    if (limit - off < 21
        || !digits(bytes, off, 4)
        || bytes[off + 4] != '-'
        || bytes[off + 7] != '-'
        || bytes[off + 10] != 'T'
        || bytes[off + 13] != ':') {
      return 0;
    }
    for (int i = off + 19; i < limit; i++) {
      if (bytes[i] == ' ') {
        return parseTimestamp(bytes, off, i - off) == null ? 0 : i - off + 1;
      }
    }
    return 0;
  }

  private static boolean digits(byte[] bytes, int off, int count) {
    for (int i = off; i < off + count; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static @Nullable Instant parseTimestamp(byte[] bytes, int off, int len) {
    String text = new String(bytes, off, len, StandardCharsets.US_ASCII);
    try {
      return text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The largest prefix of {@code bytes[0..len)} that does not end inside a UTF-8 sequence; {@code
   * len} itself when the bytes end on a character boundary (or are not valid UTF-8 anyway).
   */
  static int utf8SafeCut(byte[] bytes, int len) {
    int i = len - 1;
    int continuation = 0;
    while (i >= 0 && (bytes[i] & 0xC0) == 0x80 && continuation < 3) {
      i--;
      continuation++;
    }
    if (i < 0) {
      return len;
    }
    int lead = bytes[i] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return len - i >= needed || i == 0 ? len : i;
  }

  @Override
  public String toString() {
    return "LogLineAssembler[" + replicaId + "/" + stream + ", buffered=" + length + "]";
  }
}
