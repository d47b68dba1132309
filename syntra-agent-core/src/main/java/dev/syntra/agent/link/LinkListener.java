package dev.syntra.agent.link;

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;

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

  /** The session ended (connection lost or closed). Not called for connections never opened. */
  void onSessionClosed(Session session);
}
