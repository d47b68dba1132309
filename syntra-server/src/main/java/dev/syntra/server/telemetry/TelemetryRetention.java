package dev.syntra.server.telemetry;

import dev.syntra.server.db.PeriodicCleanup;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Deletes received telemetry batches older than {@code SYNTRA_TELEMETRY_BATCH_RETENTION} (default 7
 * days), so the interim table cannot grow forever. Runs every tenth of the retention (between 1 s
 * and 10 min) on one daemon thread; any instance may delete any row.
 */
@Component
public class TelemetryRetention extends PeriodicCleanup {
  private final TelemetryBatches batches;
  private final Clock clock;
  private final Duration retention;

  TelemetryRetention(TelemetryBatches batches, Clock clock, IngestSettings settings) {
    super(
        "syntra-telemetry-retention",
        Duration.ofMillis(Math.clamp(settings.retention().toMillis() / 10, 1_000L, 600_000L)),
        "deleted {} expired telemetry batches");
    this.batches = batches;
    this.clock = clock;
    this.retention = settings.retention();
  }

  /** Deletes the batches received longer than the retention ago; returns how many. */
  public int deleteExpired() {
    return batches.deleteReceivedBefore(clock.instant().minus(retention));
  }

  @Override
  protected int runOnce() {
    return deleteExpired();
  }

  @Override
  public String toString() {
    return "TelemetryRetention[retention=" + retention + "]";
  }
}
