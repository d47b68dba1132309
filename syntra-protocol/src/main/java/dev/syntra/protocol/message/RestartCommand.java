package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;

/** Restart every replica of a service. */
public record RestartCommand(ServiceRef service) implements Command {
  public RestartCommand {
    Checks.notNull(service, "service");
  }

  @Override
  public MessageType type() {
    return MessageType.RESTART;
  }
}
