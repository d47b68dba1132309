package dev.syntra.telemetry.otlp;

/**
 * An OTLP/JSON body that cannot be decoded. The message starts with the JSON path of the offending
 * value, e.g. {@code resourceSpans[0].scopeSpans[0].spans[3].traceId: must be 32 hex digits}, so it
 * can go to the client as it is.
 */
public final class OtlpJsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public OtlpJsonException(String path, String problem) {
    super((path.isEmpty() ? "$" : path) + ": " + problem);
    this.path = path;
  }

  /** The JSON path of the value ({@code ""} for the document itself). */
  public String path() {
    return path;
  }
}
