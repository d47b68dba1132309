package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which log lines to read.
 *
 * @param follow keep streaming new lines until the subscription is closed
 * @param since only lines at or after this instant, or null for all retained lines
 * @param tail only the last {@code tail} lines per replica before following, or null for all
 * @param stdout include standard output
 * @param stderr include standard error
 */
public record LogOptions(
    boolean follow,
    @Nullable Instant since,
    @Nullable Integer tail,
    boolean stdout,
    boolean stderr) {
  /** The last 100 lines of both streams, no follow. */
  public static final LogOptions RECENT = new LogOptions(false, null, 100, true, true);

  public LogOptions {
    if (tail != null) {
      Checks.range(tail, 0, 100_000, "tail");
    }
    if (!stdout && !stderr) {
      throw new IllegalArgumentException(
          "stdout: at least one of stdout and stderr must be selected");
    }
  }
}
