package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;

/**
 * What a command run in a replica produced. Output is decoded as UTF-8 (invalid bytes replaced).
 *
 * @param exitCode the process exit code; -1 when it was killed on timeout
 * @param stdout captured standard output, at most the configured bytes
 * @param stderr captured standard error, at most the configured bytes
 * @param truncated whether output beyond the bound was dropped
 * @param timedOut whether the command was killed on timeout
 * @param duration wall time of the command
 */
public record ExecResult(
    int exitCode,
    String stdout,
    String stderr,
    boolean truncated,
    boolean timedOut,
    Duration duration) {
  public ExecResult {
    Checks.notNull(stdout, "stdout");
    Checks.notNull(stderr, "stderr");
    Checks.notNull(duration, "duration_ms");
  }
}
