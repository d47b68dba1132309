package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports deploy phases to a listener: never throws into the deploy, reports each terminal phase at
 * most once and never goes back to a phase before the furthest one entered.
 */
public final class Progress {
  private static final Logger log = LoggerFactory.getLogger(Progress.class);

  private final DeployListener listener;
  private final String what;
  private DeployPhase furthest = DeployPhase.PULLING;
  private boolean started;
  private boolean terminal;

  public Progress(DeployListener listener, String what) {
    this.listener = listener;
    this.what = what;
  }

  /** Reports {@code phase}; an earlier phase than the furthest entered is reported as that one. */
  public void report(DeployPhase phase, String message) {
    if (terminal) {
      return;
    }
    DeployPhase effective = started && phase.compareTo(furthest) < 0 ? furthest : phase;
    if (phase.isTerminal()) {
      terminal = true;
      effective = phase;
    }
    started = true;
    furthest = effective;
    log.debug("{}: {} {}", what, effective, message);
    try {
      listener.onProgress(effective, message);
    } catch (RuntimeException e) {
      log.warn("{}: deploy listener failed on {}; ignored", what, effective, e);
    }
  }

  public boolean terminalReported() {
    return terminal;
  }
}
