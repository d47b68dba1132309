package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.util.List;

/**
 * Sent every {@link SessionSettings#heartbeatInterval()}; the server marks the agent offline when
 * heartbeats stop.
 *
 * @param system host metrics
 * @param containersRunning managed containers (or pods) running
 * @param containersTotal managed containers (or pods) in any state
 * @param services status of every service the agent manages
 * @param telemetryDropped telemetry items the agent dropped since it started (buffer full, sampling
 *     excluded)
 */
public record Heartbeat(
    SystemMetrics system,
    int containersRunning,
    int containersTotal,
    List<ServiceStatus> services,
    long telemetryDropped)
    implements AgentMessage {
  public Heartbeat {
    Checks.notNull(system, "system");
    Checks.range(containersRunning, 0, Integer.MAX_VALUE, "containers_running");
    Checks.range(containersTotal, containersRunning, Integer.MAX_VALUE, "containers_total");
    services = Checks.list(services, "services");
    Checks.nonNegative(telemetryDropped, "telemetry_dropped");
  }

  @Override
  public MessageType type() {
    return MessageType.HEARTBEAT;
  }
}
