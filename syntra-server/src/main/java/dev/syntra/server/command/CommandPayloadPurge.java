package dev.syntra.server.command;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.db.PeriodicCleanup;
import dev.syntra.server.db.Tenancy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
public class CommandPayloadPurge extends PeriodicCleanup {
  private static final int BATCH = 500;

  private final Tenancy tenancy;
  private final Clock clock;
  private final Duration retention;

  CommandPayloadPurge(Tenancy tenancy, Clock clock, Environment env) {
    super(
        "syntra-command-purge",
        Duration.ofMillis(Math.clamp(retention(env).toMillis() / 4, 1_000L, 60_000L)),
        "purged the payloads of {} finished agent commands");
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

  @Override
  protected int runOnce() {
    return purgeExpired();
  }

  @Override
  public String toString() {
    return "CommandPayloadPurge[retention=" + retention + "]";
  }
}
