package dev.syntra.telemetry.prometheus;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tokens of one line of exposition text (the bytes {@code [pos, end)}, newline excluded).
 * Every error is a {@link PrometheusParseException} for this line. Not thread-safe.
 */
final class LineCursor {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,19}");

  private final byte[] bytes;
  private final int end;
  private final int lineNumber;
  private int pos;

  LineCursor(byte[] bytes, int start, int end, int lineNumber) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.lineNumber = lineNumber;
  }

  int lineNumber() {
    return lineNumber;
  }

  PrometheusParseException error(String reason) {
    return new PrometheusParseException(lineNumber, reason);
  }

  void skipBlanks() {
    while (pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t')) {
      pos++;
    }
  }

  boolean atEnd() {
    return pos >= end;
  }

  /** The current byte, or -1 at the end of the line. */
  int peek() {
    return pos < end ? bytes[pos] & 0xFF : -1;
  }

  void advance() {
    pos++;
  }

  boolean atBlank() {
    int b = peek();
    return b == ' ' || b == '\t';
  }

  /** Bytes up to the next blank or the end of the line (possibly empty). */
  String token() {
    int start = pos;
    while (pos < end && bytes[pos] != ' ' && bytes[pos] != '\t') {
      pos++;
    }
    return new String(bytes, start, pos - start, StandardCharsets.UTF_8);
  }

  /** Everything left on the line, verbatim. */
  String rest() {
    String text = new String(bytes, pos, end - pos, StandardCharsets.UTF_8);
    pos = end;
    return text;
  }

  /**
   * A legacy name at the cursor ({@code [a-zA-Z_:][a-zA-Z0-9_:]*} for metrics, without {@code :}
   * for labels), or null when none starts here.
   */
  @Nullable String legacyName(boolean allowColon) {
    int start = pos;
    while (pos < end && isNameByte(bytes[pos], pos == start, allowColon)) {
      pos++;
    }
    return pos == start ? null : new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
  }

  private static boolean isNameByte(byte b, boolean first, boolean allowColon) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || b == '_'
        || (allowColon && b == ':')
        || (!first && b >= '0' && b <= '9');
  }

  /**
   * A double-quoted string at the cursor (which must be at the opening quote). Escapes are {@code
   * \\}, {@code \"} and {@code \n}; the text must be valid UTF-8. {@code what} names the string in
   * errors ("label value", "metric name", "label name").
   */
  String quoted(String what) {
    pos++; // opening quote
    byte[] out = new byte[Math.max(0, end - pos)];
    int len = 0;
    while (true) {
      if (pos >= end) {
        throw error(what + " \"" + decodeLenient(out, len) + "\" contains unescaped new-line");
      }
      byte b = bytes[pos++];
      if (b == '"') {
        break;
      }
      if (b == '\\') {
        int next = peek();
        pos++;
        switch (next) {
          case '\\' -> out[len++] = '\\';
          case '"' -> out[len++] = '"';
          case 'n' -> out[len++] = '\n';
          default -> throw error("invalid escape sequence '\\" + printable(next) + "' in " + what);
        }
        continue;
      }
      out[len++] = b;
    }
    return decodeStrict(out, len, what);
  }

  /**
   * The rest of a HELP line: {@code \\}, {@code \"} and {@code \n} are escapes, other backslashes
   * stay.
   */
  String helpText() {
    StringBuilder text = new StringBuilder();
    String raw = rest();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(i + 1);
        if (next == '\\' || next == 'n' || next == '"') {
          text.append(next == 'n' ? '\n' : next);
          i++;
          continue;
        }
      }
      text.append(c);
    }
    return text.toString();
  }

  private String decodeStrict(byte[] out, int len, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw error("invalid " + what + " \"" + decodeLenient(out, len) + "\": not valid UTF-8");
    }
  }

  private static String decodeLenient(byte[] out, int len) {
    return new String(out, 0, len, StandardCharsets.UTF_8);
  }

  private static String printable(int b) {
    return b < 0
        ? ""
        : b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("x%02x", b);
  }

  /**
   * A sample value or {@code le}/{@code quantile}: a decimal float or {@code [+-]Inf}, {@code
   * [+-]Infinity}, {@code NaN} (case-insensitive), as Go's {@code strconv.ParseFloat} minus hex,
   * underscores and out-of-range values. Null when {@code text} is none of these.
   */
  static @Nullable Double parseFloat(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "nan":
        return Double.NaN;
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!DECIMAL.matcher(text).matches()) {
      return null;
    }
    double value = Double.parseDouble(text);
    return Double.isInfinite(value) ? null : value;
  }

  /** A decimal 64-bit integer, or null. */
  static @Nullable Long parseLong(String text) {
    if (!INTEGER.matcher(text).matches()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
