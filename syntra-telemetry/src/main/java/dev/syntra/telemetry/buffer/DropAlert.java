package dev.syntra.telemetry.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Telemetry is being lost: at least the configured number of items were dropped or refused within
 * the window. Fired once, then again only after a quiet period without drops.
 *
 * @param at when the threshold was crossed
 * @param droppedInWindow items dropped or refused within {@code window} up to now
 * @param window the configured window
 * @param totals every non-zero counter since the buffer started
 */
public record DropAlert(
    Instant at, long droppedInWindow, Duration window, List<DropCounters.Count> totals) {
  public DropAlert {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    totals = List.copyOf(totals);
  }
}
