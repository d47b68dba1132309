package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.DeploySpec;

/** Deploy a new version of a service. Progress comes back as {@link DeployStatus} messages. */
public record DeployCommand(DeploySpec spec) implements Command {
  public DeployCommand {
    Checks.notNull(spec, "spec");
  }

  @Override
  public MessageType type() {
    return MessageType.DEPLOY;
  }
}
