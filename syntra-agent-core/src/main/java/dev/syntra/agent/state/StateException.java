package dev.syntra.agent.state;

/**
 * The agent's state directory cannot be read or written, or a state file is corrupt. The message
 * says which file and what to do; the agent cannot run safely without its state.
 */
public final class StateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }

  public StateException(String message) {
    super(message);
  }
}
