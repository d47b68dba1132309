package dev.syntra.protocol.runtime;

/**
 * Receives progress of a deploy from a {@link RuntimeAdapter}. Called on the deploying thread; must
 * not block for long and must not throw (adapters catch and ignore what it throws).
 */
@FunctionalInterface
public interface DeployListener {
  /** A listener that ignores progress. */
  DeployListener NOOP = (phase, message) -> {};

  /**
   * @param phase the phase the deploy has entered
   * @param message a short human-readable progress note, e.g. "replica 2/3 healthy"
   */
  void onProgress(DeployPhase phase, String message);
}
