package dev.syntra.protocol.message;

import java.util.Locale;
import java.util.Optional;

/** Every control message type, with its wire name and who may send it. */
public enum MessageType {
  AGENT_HELLO(Sender.AGENT),
  HELLO_OK(Sender.SERVER),
  HELLO_REJECTED(Sender.SERVER),
  DEPLOY(Sender.SERVER),
  STOP(Sender.SERVER),
  SCALE(Sender.SERVER),
  RESTART(Sender.SERVER),
  ROLLBACK(Sender.SERVER),
  EXEC(Sender.SERVER),
  LOGS(Sender.SERVER),
  UPDATE_AGENT(Sender.SERVER),
  CONFIGURE_HEALTH_CHECK(Sender.SERVER),
  CONFIGURE_TELEMETRY(Sender.SERVER),
  TELEMETRY_ACK(Sender.SERVER),
  THROTTLE(Sender.SERVER),
  HEARTBEAT(Sender.AGENT),
  DEPLOY_STATUS(Sender.AGENT),
  COMMAND_RESULT(Sender.AGENT),
  LOG_CHUNK(Sender.AGENT),
  ALERT(Sender.AGENT),
  ERROR(Sender.EITHER);

  /** Which end of the link sends a message type. */
  public enum Sender {
    AGENT,
    SERVER,
    EITHER
  }

  private final Sender sender;

  MessageType(Sender sender) {
    this.sender = sender;
  }

  public Sender sender() {
    return sender;
  }

  /** The {@code type} field of the envelope, e.g. {@code deploy_status}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MessageType> fromWireName(String wireName) {
    for (MessageType type : values()) {
      if (type.wireName().equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
