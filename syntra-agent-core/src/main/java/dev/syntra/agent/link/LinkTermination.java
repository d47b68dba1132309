package dev.syntra.agent.link;

import dev.syntra.protocol.message.HelloRejected;
import org.jspecify.annotations.Nullable;

/**
 * Why the link stopped for good.
 *
 * @param kind closed on request, refused by the control plane, or failed locally
 * @param message for the operator
 * @param reason the refusal reason when {@code kind} is {@link Kind#REJECTED}
 */
public record LinkTermination(Kind kind, String message, HelloRejected.@Nullable Reason reason) {
  /** How the link ended. */
  public enum Kind {
    /** {@link ControlLink#close()} was called. */
    CLOSED,
    /** The control plane refused the agent's token; retrying with it cannot succeed. */
    REJECTED,
    /** The agent stopped the link because it could not go on (e.g. state not writable). */
    FAILED
  }

  public static LinkTermination closed() {
    return new LinkTermination(Kind.CLOSED, "closed", null);
  }
}
