package dev.syntra.runtime.docker.internal.traefik;

/**
 * A minimal block-style YAML writer for Traefik's file provider: two spaces per level, mappings,
 * sequences and double-quoted scalars. Callers pass already-quoted scalars ({@link #quote}) or
 * plain integers; keys are fixed Traefik field names or quoted names. Not thread-safe.
 */
final class TraefikYaml {
  private final StringBuilder out = new StringBuilder();

  /** {@code # text}; {@code text} must be a single line. */
  void comment(String text) {
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("comment: must be a single line");
    }
    out.append("# ").append(text).append('\n');
  }

  /** {@code key:} opening a nested block. */
  void key(int level, String key) {
    indent(level).append(key).append(":\n");
  }

  /** {@code key: value}. */
  void entry(int level, String key, String value) {
    indent(level).append(key).append(": ").append(value).append('\n');
  }

  /** {@code - value}, an element of a sequence. */
  void item(int level, String value) {
    indent(level).append("- ").append(value).append('\n');
  }

  /**
   * {@code - key: value}, the first entry of a mapping inside a sequence; its further entries go at
   * {@code level + 1}.
   */
  void itemEntry(int level, String key, String value) {
    indent(level).append("- ").append(key).append(": ").append(value).append('\n');
  }

  private StringBuilder indent(int level) {
    return out.append("  ".repeat(level));
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * {@code value} as a YAML double-quoted scalar: backslash and double quote escaped, control
   * characters (and DEL, and the Unicode line separators) as escapes, everything else as is.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '"' -> quoted.append("\\\"");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        case '\r' -> quoted.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
