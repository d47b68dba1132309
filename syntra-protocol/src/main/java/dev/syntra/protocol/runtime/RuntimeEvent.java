package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a replica without being asked for, reported by {@link
 * RuntimeAdapter#watchEvents}; the agent turns these into {@code alert} messages.
 *
 * @param kind what happened
 * @param service the service of the replica, or null when it carries no Syntra labels
 * @param replicaId container or pod name
 * @param at when the runtime saw it
 * @param message for people, e.g. "exited with status 137 (killed: out of memory)"
 * @param details extra facts such as {@code exit_code}
 */
public record RuntimeEvent(
    Kind kind,
    @Nullable ServiceRef service,
    String replicaId,
    Instant at,
    String message,
    Map<String, String> details) {

  /** Event kinds. Wire form (in alerts): lower-case name. */
  public enum Kind {
    /** The kernel killed the replica for exceeding its memory limit. */
    OOM_KILLED,
    /** The replica stopped although nobody asked it to. */
    UNEXPECTED_EXIT,
    /** The replica's own health check turned unhealthy. */
    UNHEALTHY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RuntimeEvent {
    Checks.notNull(kind, "kind");
    Checks.notBlank(replicaId, "replica_id");
    Checks.notNull(at, "at");
    Checks.notNull(message, "message");
    details = Checks.map(details, "details");
  }
}
