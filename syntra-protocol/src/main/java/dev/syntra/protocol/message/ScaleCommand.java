package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;

/** Change the replica count of a service. */
public record ScaleCommand(ServiceRef service, int replicas) implements Command {
  public ScaleCommand {
    Checks.notNull(service, "service");
    Checks.range(replicas, 0, 1000, "replicas");
  }

  @Override
  public MessageType type() {
    return MessageType.SCALE;
  }
}
