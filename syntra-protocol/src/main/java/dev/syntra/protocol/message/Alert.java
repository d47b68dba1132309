package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Something the agent noticed that needs attention: a container killed for memory, an unexpected
 * exit, a failing health check, a resource threshold.
 *
 * @param kind machine-readable kind, snake_case: e.g. {@code oom_killed}, {@code container_exited},
 *     {@code health_check_failed}, {@code disk_full}
 * @param severity how urgent
 * @param service the service concerned, or null for host-level alerts
 * @param message what happened, for people
 * @param details extra facts (exit code, replica id, threshold), in insertion order
 */
public record Alert(
    String kind,
    Severity severity,
    @Nullable ServiceRef service,
    String message,
    Map<String, String> details)
    implements AgentMessage {

  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Alert urgency. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Alert {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind: must be snake_case, 1-64 characters");
    }
    Checks.notNull(severity, "severity");
    Checks.notNull(message, "message");
    details = Checks.map(details, "details");
  }

  @Override
  public MessageType type() {
    return MessageType.ALERT;
  }
}
