package dev.syntra.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The one exception every decoder in this module throws for bad input. It carries a
 * machine-readable {@link #code()} and, for JSON, the JSON path of the offending field (for example
 * {@code $.payload.spec.replicas}), so the peer can be told exactly what was wrong.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProtocolErrorCode code;
  private final @Nullable String path;

  public ProtocolException(ProtocolErrorCode code, String message) {
    this(code, null, message, null);
  }

  public ProtocolException(ProtocolErrorCode code, @Nullable String path, String message) {
    this(code, path, message, null);
  }

  public ProtocolException(
      ProtocolErrorCode code, @Nullable String path, String message, @Nullable Throwable cause) {
    super(path == null ? message : path + ": " + message, cause);
    this.code = code;
    this.path = path;
  }

  public ProtocolErrorCode code() {
    return code;
  }

  /** JSON path of the offending field, or null when the error is not about one field. */
  public @Nullable String path() {
    return path;
  }
}
