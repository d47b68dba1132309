package dev.syntra.protocol.runtime;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a probe until its value satisfies a condition, for the few things the runtime contract lets
 * happen after a call returns (log delivery, daemon events). It waits for a condition, never for
 * time to pass, like Awaitility, which {@code syntra-protocol} does not depend on.
 */
public final class ContractAwait {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private ContractAwait() {}

  /**
   * Returns the first value of {@code probe} that satisfies {@code done}.
   *
   * @param what what is awaited, for the failure message
   * @throws AssertionError if no value does within {@code timeout} (the message shows the last one)
   */
  public static <T> T until(
      Duration timeout, Supplier<T> probe, Predicate<? super T> done, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "waited " + timeout.toMillis() + " ms for " + what + "; last value: " + last);
      }
      try {
        Thread.sleep(POLL_INTERVAL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
      last = probe.get();
    }
    return last;
  }
}
