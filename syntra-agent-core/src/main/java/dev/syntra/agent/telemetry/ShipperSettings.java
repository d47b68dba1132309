package dev.syntra.agent.telemetry;

import java.time.Duration;

/**
 * How {@link FrameShipper} sends frames.
 *
 * @param maxInFlightFrames frames sent and not yet acknowledged, at most (default 32); a slow
 *     control plane makes the shipper wait instead of queueing data in the connection
 * @param maxInFlightBytes bytes of frames sent and not yet acknowledged, at most (default 16 MiB);
 *     one frame larger than this is still sent when nothing else is in flight
 * @param maxThrottlePause the longest pause a {@code throttle} can impose (default 5 min): a
 *     control plane asking for an hour still gets frames offered every 5 minutes
 * @param throttleJitter up to this fraction of {@code retry_after} is added at random (default
 *     0.2), so agents throttled together do not all come back at the same moment
 * @param rejectedLogInterval at most one log line per this interval about rejected batches (default
 *     1 min); every rejection is counted
 */
public record ShipperSettings(
    int maxInFlightFrames,
    long maxInFlightBytes,
    Duration maxThrottlePause,
    double throttleJitter,
    Duration rejectedLogInterval) {

  /** 32 frames, 16 MiB in flight; throttle pauses capped at 5 min with 20 % jitter. */
  public static final ShipperSettings DEFAULTS =
      new ShipperSettings(32, 16L << 20, Duration.ofMinutes(5), 0.2, Duration.ofMinutes(1));

  public ShipperSettings {
    if (maxInFlightFrames < 1) {
      throw new IllegalArgumentException("maxInFlightFrames: must be at least 1");
    }
    if (maxInFlightBytes < 1) {
      throw new IllegalArgumentException("maxInFlightBytes: must be at least 1");
    }
    if (maxThrottlePause.isNegative()) {
      throw new IllegalArgumentException("maxThrottlePause: must not be negative");
    }
    if (!(throttleJitter >= 0 && throttleJitter <= 1)) {
      throw new IllegalArgumentException("throttleJitter: must be between 0 and 1");
    }
    if (rejectedLogInterval.isNegative()) {
      throw new IllegalArgumentException("rejectedLogInterval: must not be negative");
    }
  }
}
