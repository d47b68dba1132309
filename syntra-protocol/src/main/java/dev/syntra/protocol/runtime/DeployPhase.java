package dev.syntra.protocol.runtime;

/**
 * Progress of a deploy as the runtime reports it. {@link #RUNNING}, {@link #FAILED} and {@link
 * #ROLLED_BACK} are terminal.
 */
public enum DeployPhase {
  PULLING,
  CREATING,
  STARTING,
  HEALTH_CHECKING,
  SWITCHING,
  RUNNING,
  FAILED,
  ROLLED_BACK;

  public boolean isTerminal() {
    return this == RUNNING || this == FAILED || this == ROLLED_BACK;
  }
}
