package dev.syntra.protocol.message;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.internal.Checks;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Acknowledges binary telemetry frames by batch id once the server has stored them durably (or
 * recognised a duplicate). The agent deletes acknowledged batches from its buffer and resends the
 * rest after a reconnect.
 */
public record TelemetryAck(List<Entry> entries) implements ServerMessage {

  /** Outcome for one batch. */
  public enum Status {
    /** Written durably. */
    STORED,
    /** Already stored earlier; dropped. */
    DUPLICATE,
    /** Refused for good (malformed, over quota); do not resend. */
    REJECTED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One acknowledged batch; {@code reason} explains a rejection. */
  public record Entry(BatchId batchId, Status status, @Nullable String reason) {
    public Entry {
      Checks.notNull(batchId, "batch_id");
      Checks.notNull(status, "status");
    }
  }

  public TelemetryAck {
    entries = Checks.list(entries, "entries");
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("entries: must not be empty");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.TELEMETRY_ACK;
  }
}
