package dev.syntra.agent.otlp;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What became of one OTLP request, in transport-neutral terms: {@code OK} (with a partial success
 * when {@code rejected > 0}), {@code INVALID} (400 / INVALID_ARGUMENT), {@code REFUSED} (429 /
 * RESOURCE_EXHAUSTED with {@code retryAfter}).
 */
record IngestOutcome(Kind kind, long rejected, @Nullable String message, Duration retryAfter) {
  enum Kind {
    OK,
    INVALID,
    REFUSED
  }

  static IngestOutcome ok(long rejected, @Nullable String message) {
    return new IngestOutcome(Kind.OK, rejected, message, Duration.ZERO);
  }

  static IngestOutcome invalid(String message) {
    return new IngestOutcome(Kind.INVALID, 0, message, Duration.ZERO);
  }

  static IngestOutcome refused(@Nullable String message, Duration retryAfter) {
    return new IngestOutcome(Kind.REFUSED, 0, message, retryAfter);
  }
}
