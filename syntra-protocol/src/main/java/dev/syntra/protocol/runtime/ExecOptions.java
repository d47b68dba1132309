package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Bounds of an {@code exec}: it is killed after {@code timeout}, and each of stdout and stderr
 * keeps at most {@code maxOutputBytes} (the rest is dropped and the result marked truncated).
 *
 * @param replica index of the replica to run in, or null for the first running one
 */
public record ExecOptions(Duration timeout, int maxOutputBytes, @Nullable Integer replica) {
  /** 30 s, 1 MiB per stream, any replica. */
  public static final ExecOptions DEFAULTS = new ExecOptions(Duration.ofSeconds(30), 1 << 20, null);

  public ExecOptions {
    Checks.notNull(timeout, "timeout_ms");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("timeout_ms: must be between 1 ms and 1 h");
    }
    Checks.range(maxOutputBytes, 0, 16 << 20, "max_output_bytes");
    if (replica != null) {
      Checks.range(replica, 0, 999, "replica");
    }
  }
}
