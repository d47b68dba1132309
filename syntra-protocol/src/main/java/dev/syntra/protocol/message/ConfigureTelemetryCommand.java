package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;

/**
 * Sets how the agent samples, rate-limits and scrapes one service's telemetry. The settings replace
 * the service's previous ones as a whole; the agent keeps them across restarts.
 */
public record ConfigureTelemetryCommand(ServiceRef service, TelemetrySettings settings)
    implements Command {
  public ConfigureTelemetryCommand {
    Checks.notNull(service, "service");
    Checks.notNull(settings, "settings");
  }

  @Override
  public MessageType type() {
    return MessageType.CONFIGURE_TELEMETRY;
  }
}
