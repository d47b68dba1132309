package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;

/**
 * The server cannot take telemetry frames now (its ingest queue is full). The agent pauses sending
 * frames for {@code retryAfter} (it may add jitter); frames that were not acknowledged are sent
 * again later, with the same batch id. Frames are not acknowledged by a throttle: the frames the
 * server did not take simply get no {@code telemetry_ack}.
 *
 * @param retryAfter how long to pause sending frames; not negative
 * @param reason why, for the operator's log (e.g. {@code ingest queue full}); not blank
 */
public record Throttle(Duration retryAfter, String reason) implements ServerMessage {
  public Throttle {
    Checks.notNull(retryAfter, "retry_after_ms");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retry_after_ms: must not be negative");
    }
    Checks.notBlank(reason, "reason");
  }

  @Override
  public MessageType type() {
    return MessageType.THROTTLE;
  }
}
