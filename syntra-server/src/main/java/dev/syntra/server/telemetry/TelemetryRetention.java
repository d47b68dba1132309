package dev.syntra.server.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes received telemetry batches older than {@code SYNTRA_TELEMETRY_BATCH_RETENTION} (default 7
 * days), so the interim table cannot grow forever. Runs every tenth of the retention (between 1 s
 * and 10 min) on one daemon thread; any instance may delete any row.
 */
@Component
public class TelemetryRetention implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(TelemetryRetention.class);

  private final TelemetryBatches batches;
  private final Clock clock;
  private final Duration retention;
  private @Nullable ScheduledExecutorService timer;

  TelemetryRetention(TelemetryBatches batches, Clock clock, IngestSettings settings) {
    this.batches = batches;
    this.clock = clock;
    this.retention = settings.retention();
  }

  /** Deletes the batches received longer than the retention ago; returns how many. */
  public int deleteExpired() {
    return batches.deleteReceivedBefore(clock.instant().minus(retention));
  }

  private void deleteSafely() {
    try {
      int deleted = deleteExpired();
      if (deleted > 0) {
        log.debug("deleted {} telemetry batches older than {}", deleted, retention);
      }
    } catch (RuntimeException e) {
      // The next run retries; a database hiccup must not stop the schedule.
      log.warn("deleting expired telemetry batches failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    long periodMillis = Math.clamp(retention.toMillis() / 10, 1_000L, 600_000L);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("syntra-telemetry-retention").daemon().factory());
    timer.scheduleWithFixedDelay(this::deleteSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
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

  @Override
  public String toString() {
    return "TelemetryRetention[retention=" + retention + "]";
  }
}
