package dev.syntra.telemetry.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an intake did with a chunk. Receivers map it to OTLP answers: {@link Status#ACCEPTED} is a
 * success, {@link Status#PARTIAL} a success with {@code partial_success} (rejected items and a
 * message), {@link Status#REFUSED} HTTP 429/503 or gRPC {@code RESOURCE_EXHAUSTED} with {@code
 * retryAfter}; nothing of a refused chunk was kept.
 *
 * @param rejectedItems items not kept (PARTIAL: the rejected ones; REFUSED: all of them)
 * @param message why, for the client; null when accepted
 * @param retryAfter when to retry, for REFUSED; zero otherwise
 */
public record IntakeResult(
    Status status, long rejectedItems, @Nullable String message, Duration retryAfter) {

  /** Outcome kinds. */
  public enum Status {
    ACCEPTED,
    PARTIAL,
    REFUSED
  }

  private static final IntakeResult ACCEPTED_RESULT =
      new IntakeResult(Status.ACCEPTED, 0, null, Duration.ZERO);

  public IntakeResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (rejectedItems < 0) {
      throw new IllegalArgumentException("rejectedItems: must not be negative");
    }
  }

  public static IntakeResult accepted() {
    return ACCEPTED_RESULT;
  }

  public static IntakeResult partial(long rejectedItems, String message) {
    return new IntakeResult(Status.PARTIAL, rejectedItems, message, Duration.ZERO);
  }

  public static IntakeResult refused(long items, String message, Duration retryAfter) {
    return new IntakeResult(Status.REFUSED, items, message, retryAfter);
  }

  public boolean isRefused() {
    return status == Status.REFUSED;
  }
}
