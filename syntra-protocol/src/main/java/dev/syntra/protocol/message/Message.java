package dev.syntra.protocol.message;

/**
 * A control message: the payload of an {@link Envelope}. The hierarchy is sealed so handlers can
 * switch over {@link AgentMessage}, {@link ServerMessage} or {@link Command} exhaustively.
 */
public sealed interface Message permits AgentMessage, ServerMessage {
  MessageType type();
}
