package dev.syntra.agent;

/**
 * Why a running agent stopped.
 *
 * @param kind the category, which the command line maps to an exit code
 * @param message for the operator
 */
public record AgentExit(Kind kind, String message) {
  /** How the agent ended. */
  public enum Kind {
    /** Stopped on request ({@link Agent#close()}, SIGTERM). */
    STOPPED,
    /** The control plane refused the token or credential; retrying cannot help. */
    REJECTED,
    /** The agent could not go on, e.g. its state directory is not writable. */
    FAILED
  }
}
