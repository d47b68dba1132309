package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ServiceRef;
import org.jspecify.annotations.Nullable;

/** Set, change or (with a null health check) remove the agent's health check of a service. */
public record ConfigureHealthCheckCommand(ServiceRef service, @Nullable HealthCheck healthCheck)
    implements Command {
  public ConfigureHealthCheckCommand {
    Checks.notNull(service, "service");
  }

  @Override
  public MessageType type() {
    return MessageType.CONFIGURE_HEALTH_CHECK;
  }
}
