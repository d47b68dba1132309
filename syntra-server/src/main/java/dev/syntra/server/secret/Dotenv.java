package dev.syntra.server.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes dotenv documents, the Docker Compose dialect minus its shell features.
 *
 * <p>Supported, as Compose reads it:
 *
 * <ul>
 *   <li>{@code KEY=value} and {@code export KEY=value}; blank lines; {@code #} comment lines;
 *       spaces around {@code =}; a leading UTF-8 byte order mark; CRLF line ends.
 *   <li>Unquoted values run to the end of the line, trimmed; a {@code #} preceded by whitespace
 *       starts a comment ({@code A=b # note} is {@code b}, {@code A=b#c} is {@code b#c}).
 *   <li>Single-quoted values are literal (no escapes, no expansion), may span lines, and may hold
 *       {@code \'} for a quote: {@code 'Let\'s go!'} is {@code Let's go!}.
 *   <li>Double-quoted values may span lines and understand {@code \n}, {@code \r}, {@code \t},
 *       {@code \"}, {@code \\} and {@code \$}; any other backslash is kept as written.
 *   <li>After a closing quote only whitespace and a comment may follow. A repeated key: the last
 *       one wins.
 * </ul>
 *
 * <p>Deliberately not supported, each refused with its line number or kept literally:
 *
 * <ul>
 *   <li>Variable interpolation ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}): values are
 *       stored as written. Syntra's own references ({@code ${{service.VAR}}}) are resolved at
 *       deploy time by {@link EnvResolver}, and shell-style expansion would fight with them.
 *   <li>Keys other than {@code [A-Za-z_][A-Za-z0-9_]*} (Compose also takes dots, dashes and leading
 *       digits, which no POSIX shell can export).
 *   <li>The YAML-like {@code KEY: value} form, and a bare {@code KEY} that would copy the value
 *       from the server's own environment.
 *   <li>Octal and other echo-style escapes ({@code \0123}, {@code \a}) in double quotes.
 * </ul>
 *
 * <p>{@link #write} quotes whatever needs it, so {@code parse(write(vars))} gives back {@code
 * vars}. Stateless and thread-safe.
 */
public final class Dotenv {
  /** Keys this dialect accepts: what a POSIX shell can export. */
  public static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_./:@%+,=?^~-]+");

  /** One assignment and the line it starts on (1-based). */
  public record Entry(String key, String value, int line) {}

  /** A document that is not valid dotenv; the message starts with {@code line N:}. */
  public static final class SyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final String problem;

    SyntaxException(int line, String problem) {
      super("line " + line + ": " + problem, null, false, false);
      this.line = line;
      this.problem = problem;
    }

    public int line() {
      return line;
    }

    /** The problem without its line number. */
    public String problem() {
      return problem;
    }
  }

  private final String text;
  private int pos;
  private int line = 1;

  private Dotenv(String text) {
    this.text = text;
  }

  /**
   * The assignments of {@code document} in order (a repeated key appears twice).
   *
   * @throws SyntaxException at the first line that is not valid
   */
  public static List<Entry> parse(String document) {
    String text = document.startsWith("\uFEFF") ? document.substring(1) : document;
    return new Dotenv(text.replace("\r\n", "\n")).entries();
  }

  /** A document assigning every entry of {@code vars}, in the map's order, one per line. */
  public static String write(Map<String, String> vars) {
    StringBuilder out = new StringBuilder();
    vars.forEach((key, value) -> out.append(key).append('=').append(quote(value)).append('\n'));
    return out.toString();
  }

  /** {@code value} as it must appear after {@code =}: bare when safe, double-quoted otherwise. */
  static String quote(String value) {
    if (value.isEmpty() || PLAIN_VALUE.matcher(value).matches()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 8).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    while (true) {
      skipBlanks();
      if (pos >= text.length()) {
        return entries;
      }
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
      } else if (c == '#') {
        skipToLineEnd();
      } else {
        entries.add(assignment());
      }
    }
  }

  private Entry assignment() {
    int start = line;
    String key = token();
    if (key.equals("export") && pos < text.length() && isBlank(text.charAt(pos))) {
      skipBlanks();
      if (pos < text.length() && text.charAt(pos) != '=') {
        key = token(); // "export KEY=value"; "export = 1" assigns a key named export
      }
    }
    if (key.isEmpty()) {
      throw new SyntaxException(start, "expected KEY=value");
    }
    if (!KEY.matcher(key).matches()) {
      throw new SyntaxException(
          start,
          "invalid key '"
              + key
              + "': a key is letters, digits and '_', and does not start with a digit");
    }
    skipBlanks();
    expectEquals(key, start);
    pos++;
    skipBlanks();
    String value;
    if (pos < text.length() && text.charAt(pos) == '"') {
      value = doubleQuoted(start);
      endOfQuotedValue();
    } else if (pos < text.length() && text.charAt(pos) == '\'') {
      value = singleQuoted(start);
      endOfQuotedValue();
    } else {
      value = unquoted();
    }
    return new Entry(key, value, start);
  }

  private void expectEquals(String key, int start) {
    if (pos >= text.length() || text.charAt(pos) == '\n') {
      throw new SyntaxException(
          start,
          "'"
              + key
              + "' has no '=' (taking a value from the server's environment is not supported)");
    }
    char c = text.charAt(pos);
    if (c == ':') {
      throw new SyntaxException(start, "expected '=' after '" + key + "' (not KEY: value)");
    }
    if (c != '=') {
      throw new SyntaxException(start, "a key cannot contain spaces (after '" + key + "')");
    }
  }

  /** The characters up to a blank, '=', ':' or the line end. */
  private String token() {
    int from = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (isBlank(c) || c == '=' || c == ':' || c == '\n') {
        break;
      }
      pos++;
    }
    return text.substring(from, pos);
  }

  private String unquoted() {
    int from = pos;
    int end = text.indexOf('\n', pos);
    end = end < 0 ? text.length() : end;
    int valueEnd = end;
    for (int i = from; i < end; i++) {
      // A '#' starts a comment only after whitespace: "a#b" is a value, "a #b" is "a".
      if (text.charAt(i) == '#' && isBlank(text.charAt(i - 1))) {
        valueEnd = i;
        break;
      }
    }
    pos = end;
    int last = valueEnd;
    while (last > from && isBlank(text.charAt(last - 1))) {
      last--;
    }
    return text.substring(from, last);
  }

  private String doubleQuoted(int start) {
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return value.toString();
      }
      if (c == '\\' && pos + 1 < text.length()) {
        char escaped =
            switch (text.charAt(pos + 1)) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case '"' -> '"';
              case '\\' -> '\\';
              case '$' -> '$';
              default -> 0;
            };
        if (escaped != 0) {
          value.append(escaped);
          pos += 2;
          continue;
        }
      }
      if (c == '\n') {
        line++;
      }
      value.append(c);
      pos++;
    }
    throw new SyntaxException(start, "unterminated double-quoted value");
  }

  private String singleQuoted(int start) {
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\'') {
        pos++;
        return value.toString();
      }
      if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
        value.append('\'');
        pos += 2;
        continue;
      }
      if (c == '\n') {
        line++;
      }
      value.append(c);
      pos++;
    }
    throw new SyntaxException(start, "unterminated single-quoted value");
  }

  private void endOfQuotedValue() {
    skipBlanks();
    if (pos >= text.length() || text.charAt(pos) == '\n') {
      return;
    }
    if (text.charAt(pos) == '#') {
      skipToLineEnd();
      return;
    }
    throw new SyntaxException(line, "unexpected text after the closing quote");
  }

  private void skipBlanks() {
    while (pos < text.length() && isBlank(text.charAt(pos))) {
      pos++;
    }
  }

  private void skipToLineEnd() {
    int end = text.indexOf('\n', pos);
    pos = end < 0 ? text.length() : end;
  }

  /** Whitespace within a line (a lone CR counts; CRLF was folded to LF before parsing). */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
  }
}
