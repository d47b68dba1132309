package dev.syntra.server.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A database cleanup that runs right after start and then with a fixed delay on one named daemon
 * thread while the application runs. A failed run is logged and retried at the next one: a database
 * hiccup must not stop the schedule. Any instance may run it; the cleanup itself must be safe to
 * run concurrently.
 */
public abstract class PeriodicCleanup implements SmartLifecycle {
  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String threadName;
  private final Duration period;
  private final String done;
  private @Nullable ScheduledExecutorService timer;

  /**
   * @param threadName the thread's name
   * @param period delay between the end of one run and the start of the next
   * @param done what a run did, for the debug log, with {@code {}} for the count (e.g. {@code
   *     "deleted {} expired rows"})
   */
  protected PeriodicCleanup(String threadName, Duration period, String done) {
    this.threadName = threadName;
    this.period = period;
    this.done = done;
  }

  /** One run; returns how many rows it changed. */
  protected abstract int runOnce();

  private void runSafely() {
    try {
      int changed = runOnce();
      if (changed > 0) {
        log.debug(done, changed);
      }
    } catch (RuntimeException e) {
      log.warn("{} failed: {}", this, e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(threadName).daemon().factory());
    timer.scheduleWithFixedDelay(this::runSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
