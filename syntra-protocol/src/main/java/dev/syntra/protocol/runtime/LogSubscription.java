package dev.syntra.protocol.runtime;

import java.time.Duration;

/**
 * A running log read started by {@link RuntimeAdapter#logs}. Closing it stops delivery; {@code
 * close()} is idempotent and does not throw.
 */
public interface LogSubscription extends AutoCloseable {
  /**
   * Waits until the read has delivered everything (for a non-follow read) or was closed.
   *
   * @return true if it completed within the timeout
   */
  boolean awaitCompletion(Duration timeout) throws InterruptedException;

  @Override
  void close();
}
