package dev.syntra.agent.runtime;

/** No runtime adapter can be used; the message lists what each provider found. */
public final class RuntimeSelectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RuntimeSelectionException(String message) {
    super(message);
  }

  public RuntimeSelectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
