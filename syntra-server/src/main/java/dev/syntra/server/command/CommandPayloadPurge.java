package dev.syntra.server.command;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.db.Tenancy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Drops the sealed payload of finished agent commands once {@code SYNTRA_COMMAND_PAYLOAD_RETENTION}
 * (default 5m) has passed since they finished: a deploy spec carries the service's decrypted env
 * vars, which must not stay in the database (and its backups) after the agent has them. The row
 * keeps type, status, error and times, so the command history still reads. Runs every quarter of
 * the retention (between 1 s and 1 min) on one daemon thread; any instance may purge any row.
 */
@Component
public class CommandPayloadPurge implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(CommandPayloadPurge.class);
  private static final int BATCH = 500;

  private final Tenancy tenancy;
  private final Clock clock;
  private final Duration retention;
  private @Nullable ScheduledExecutorService timer;

  CommandPayloadPurge(Tenancy tenancy, Clock clock, Environment env) {
    this.tenancy = tenancy;
    this.clock = clock;
    this.retention = retention(env);
  }

  /** {@code SYNTRA_COMMAND_PAYLOAD_RETENTION}: a positive duration such as 30s, 5m or 1h. */
  public static Duration retention(Environment env) {
    return ServerSettings.duration(env, "SYNTRA_COMMAND_PAYLOAD_RETENTION", "5m");
  }

  /** Purges the payloads of commands finished longer than the retention ago; returns how many. */
  public int purgeExpired() {
    return purgeFinishedBefore(clock.instant().minus(retention));
  }

  /** Purges the payloads of commands finished before {@code cutoff}; returns how many. */
  public int purgeFinishedBefore(Instant cutoff) {
    int total = 0;
    while (true) {
      int purged =
          tenancy.withoutOrg(
              null,
              h ->
                  h.createQuery("SELECT syntra_purge_command_payloads(:before, :limit)")
                      .bind("before", cutoff)
                      .bind("limit", BATCH)
                      .mapTo(Integer.class)
                      .one());
      total += purged;
      if (purged < BATCH) {
        return total;
      }
    }
  }

  private void purgeSafely() {
    try {
      int purged = purgeExpired();
      if (purged > 0) {
        log.debug("purged the payloads of {} finished agent commands", purged);
      }
    } catch (RuntimeException e) {
      // The next run retries; a database hiccup must not stop the schedule.
      log.warn("purging finished agent command payloads failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    long periodMillis =
        Math.clamp(retention.toMillis() / 4, Duration.ofSeconds(1).toMillis(), 60_000L);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("syntra-command-purge").daemon().factory());
    timer.scheduleWithFixedDelay(this::purgeSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
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
    return "CommandPayloadPurge[retention=" + retention + "]";
  }
}
