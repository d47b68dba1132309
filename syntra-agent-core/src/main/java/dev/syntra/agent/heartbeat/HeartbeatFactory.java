package dev.syntra.agent.heartbeat;

import dev.syntra.agent.metrics.SystemMetricsCollector;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds heartbeats: host metrics from /proc, and {@link RuntimeAdapter#status} of every service
 * the agent manages. A service whose status cannot be read is reported {@code failed} with the
 * reason, so the control plane sees the problem instead of a gap. Blocks on the runtime: call it
 * off the link's thread.
 */
public final class HeartbeatFactory {
  private final SystemMetricsCollector metrics;
  private final RuntimeAdapter adapter;
  private final ManagedServices services;
  private final LongSupplier telemetryDropped;

  public HeartbeatFactory(
      SystemMetricsCollector metrics,
      RuntimeAdapter adapter,
      ManagedServices services,
      LongSupplier telemetryDropped) {
    this.metrics = metrics;
    this.adapter = adapter;
    this.services = services;
    this.telemetryDropped = telemetryDropped;
  }

  /** A heartbeat describing this moment. */
  public Heartbeat build() {
    List<ServiceStatus> statuses = new ArrayList<>();
    int running = 0;
    int total = 0;
    for (ServiceRef service : services.list()) {
      ServiceStatus status = status(service);
      statuses.add(status);
      for (ReplicaStatus replica : status.replicas()) {
        total++;
        if (replica.state() == ReplicaStatus.State.RUNNING) {
          running++;
        }
      }
    }
    return new Heartbeat(metrics.collect(), running, total, statuses, telemetryDropped.getAsLong());
  }

  private ServiceStatus status(ServiceRef service) {
    try {
      return adapter.status(service);
    } catch (RuntimeAdapterException e) {
      return new ServiceStatus(
          service,
          ServiceStatus.State.FAILED,
          null,
          0,
          List.of(),
          "the agent cannot read this service's status: "
              + e.code().wireName()
              + ": "
              + e.getMessage());
    }
  }
}
