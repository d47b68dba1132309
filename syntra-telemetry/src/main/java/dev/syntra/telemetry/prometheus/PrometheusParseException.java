package dev.syntra.telemetry.prometheus;

/**
 * The exposition text is not valid: {@link #line()} (1-based) and {@link #reason()} say where and
 * what. The only exception {@link PrometheusTextParser#parse} throws.
 */
public final class PrometheusParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final String reason;

  public PrometheusParseException(int line, String reason) {
    super("text format parsing error in line " + line + ": " + reason);
    this.line = line;
    this.reason = reason;
  }

  /** 1-based line number of the error. */
  public int line() {
    return line;
  }

  /** What is wrong, without the line prefix. */
  public String reason() {
    return reason;
  }
}
