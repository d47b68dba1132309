package dev.syntra.agent.cli;

/** Exit codes of {@code syntra-agent}; documented in the module README. */
public final class ExitCodes {
  /** Success; for {@code run}: stopped on request (SIGTERM). */
  public static final int OK = 0;

  /** The agent failed unexpectedly; for {@code status}: the agent is not connected. */
  public static final int FAILED = 1;

  /** Bad command line or configuration (missing endpoint or token, malformed pin, ws:// …). */
  public static final int USAGE = 2;

  /** No usable runtime: none detected, or the named one cannot be reached. */
  public static final int NO_RUNTIME = 3;

  /** The control plane refused the token or credential; restarting with it cannot help. */
  public static final int REJECTED = 4;

  /** The state directory cannot be used (permissions, corrupt files). */
  public static final int STATE = 5;

  private ExitCodes() {}
}
