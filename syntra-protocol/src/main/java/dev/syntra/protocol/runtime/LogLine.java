package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;

/**
 * One line a replica wrote, without its trailing newline.
 *
 * @param at the runtime's timestamp of the line
 * @param stream which output stream it came from
 * @param replicaId container or pod name
 * @param message the line text
 */
public record LogLine(Instant at, Stream stream, String replicaId, String message) {
  /** Output stream of a line. */
  public enum Stream {
    STDOUT,
    STDERR
  }

  public LogLine {
    Checks.notNull(at, "at");
    Checks.notNull(stream, "stream");
    Checks.notBlank(replicaId, "replica_id");
    Checks.notNull(message, "message");
  }
}
