package dev.syntra.telemetry.buffer;

import java.time.Duration;
import java.util.Objects;

/**
 * When the disk spool forces its writes to the device. {@link #always()} fsyncs before {@code
 * accept} returns (nothing accepted is lost in a power cut, at the cost of one fsync per chunk);
 * {@link #interval(Duration)} (default: every second) loses at most that much after a power cut but
 * nothing after a process crash, since the writes are in the page cache; {@link #never()} leaves it
 * to the operating system.
 *
 * @param mode the kind of policy
 * @param interval time between fsyncs for {@link Mode#INTERVAL}; zero otherwise
 */
public record FsyncPolicy(Mode mode, Duration interval) {
  /** Policy kinds. */
  public enum Mode {
    ALWAYS,
    INTERVAL,
    NEVER
  }

  public FsyncPolicy {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(interval, "interval");
    if (mode == Mode.INTERVAL && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException("fsync interval: must be positive, e.g. PT1S");
    }
  }

  public static FsyncPolicy always() {
    return new FsyncPolicy(Mode.ALWAYS, Duration.ZERO);
  }

  public static FsyncPolicy interval(Duration interval) {
    return new FsyncPolicy(Mode.INTERVAL, interval);
  }

  public static FsyncPolicy never() {
    return new FsyncPolicy(Mode.NEVER, Duration.ZERO);
  }

  /** The default: every second. */
  public static FsyncPolicy defaults() {
    return interval(Duration.ofSeconds(1));
  }
}
