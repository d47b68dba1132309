package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;

/** Stop and remove every replica of a service. */
public record StopCommand(ServiceRef service) implements Command {
  public StopCommand {
    Checks.notNull(service, "service");
  }

  @Override
  public MessageType type() {
    return MessageType.STOP;
  }
}
