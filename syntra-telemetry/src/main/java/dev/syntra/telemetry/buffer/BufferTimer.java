package dev.syntra.telemetry.buffer;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the buffer's periodic work (sealing batches at their maximum delay, interval fsyncs, alert
 * re-arming). Injectable so tests drive time by hand instead of sleeping.
 */
@FunctionalInterface
public interface BufferTimer {
  /**
   * Runs {@code task} every {@code period}, the first time after one period, until the returned
   * handle is cancelled.
   */
  Cancellable repeat(Duration period, Runnable task);

  /** A scheduled task that can be stopped. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** A timer on {@code executor}; the caller owns the executor and shuts it down. */
  static BufferTimer of(ScheduledExecutorService executor) {
    return (period, task) -> {
      long nanos = period.toNanos();
      ScheduledFuture<?> future =
          executor.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
