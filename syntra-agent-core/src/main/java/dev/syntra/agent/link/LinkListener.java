package dev.syntra.agent.link;

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;

/**
 * What the link asks of the agent. Called on the link's single thread; implementations must not
 * block for long (hand commands to another thread).
 */
public interface LinkListener {
  /** The {@code agent_hello} for a new connection (built afresh each time). */
  AgentHello hello();

  /**
   * {@code hello_ok} arrived: the session is open. Called before the link sends anything else, so
   * the agent can store a new credential first. Throwing stops the link for good.
   */
  void onSessionOpened(Session session, HelloOk ok) throws Exception;

  /** A command passed the replay check. The agent answers it through {@code session} or later. */
  void onCommand(Session session, Envelope command);

  /**
   * {@code telemetry_ack} arrived on the open {@code session}: the control plane has these batches
   * (stored, duplicate or rejected for good). Default: ignored.
   */
  default void onTelemetryAck(Session session, TelemetryAck ack) {}

  /**
   * {@code throttle} arrived on the open {@code session}: pause sending telemetry frames for its
   * {@code retryAfter}. Default: ignored.
   */
  default void onThrottle(Session session, Throttle throttle) {}

  /** The session ended (connection lost or closed). Not called for connections never opened. */
  void onSessionClosed(Session session);
}
