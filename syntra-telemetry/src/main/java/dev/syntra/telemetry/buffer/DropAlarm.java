package dev.syntra.telemetry.buffer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires one {@link DropAlert} when at least {@code threshold} items are dropped within {@code
 * window}, then stays silent until no drop happened for {@code quietPeriod} (so a long overload is
 * one alert, not one per chunk).
 */
final class DropAlarm {
  private static final Logger LOG = LoggerFactory.getLogger(DropAlarm.class);

  private final long threshold;
  private final Duration window;
  private final Duration quietPeriod;
  private final Clock clock;
  private final Consumer<DropAlert> listener;
  private final DropCounters counters;

  private Instant windowStart = Instant.MIN;
  private long inWindow;
  private Instant lastDrop = Instant.MIN;
  private boolean armed = true;

  DropAlarm(
      long threshold,
      Duration window,
      Duration quietPeriod,
      Clock clock,
      Consumer<DropAlert> listener,
      DropCounters counters) {
    this.threshold = threshold;
    this.window = window;
    this.quietPeriod = quietPeriod;
    this.clock = clock;
    this.listener = listener;
    this.counters = counters;
  }

  /** Called after {@code items} were counted as dropped. Runs the listener on this thread. */
  void dropped(long items) {
    if (items <= 0) {
      return;
    }
    DropAlert alert;
    synchronized (this) {
      Instant now = clock.instant();
      rearmIfQuiet(now);
      if (windowStart.plus(window).isBefore(now) || windowStart.equals(Instant.MIN)) {
        windowStart = now;
        inWindow = 0;
      }
      inWindow += items;
      lastDrop = now;
      if (!armed || inWindow < threshold) {
        return;
      }
      armed = false;
      alert = new DropAlert(now, inWindow, window, counters.snapshot());
    }
    LOG.warn(
        "telemetry buffer dropped {} items within {}: {}",
        alert.droppedInWindow(),
        window,
        counters);
    try {
      listener.accept(alert);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.warn("drop alert listener failed", e);
    }
  }

  /** Periodic: re-arms after the quiet period even when no further drop arrives. */
  synchronized void tick() {
    rearmIfQuiet(clock.instant());
  }

  private void rearmIfQuiet(Instant now) {
    if (!armed && !lastDrop.plus(quietPeriod).isAfter(now)) {
      armed = true;
      windowStart = Instant.MIN;
      inWindow = 0;
    }
  }
}
