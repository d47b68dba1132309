package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The status of a service as the adapter sees it: replicas from labels ({@link ServiceState}), the
 * roles and desired count from the {@link ManagedService} when the adapter holds the service, the
 * health check from it or else from the deploy history. Thread-safe.
 */
public final class ServiceStatuses {
  private final ServiceState state;
  private final DeployHistory history;

  public ServiceStatuses(ServiceState state, DeployHistory history) {
    this.state = state;
    this.history = history;
  }

  /** The status of {@code service}; {@code ms} is null when this adapter has not touched it. */
  public ServiceStatus of(ServiceRef service, @Nullable ManagedService ms, boolean busy) {
    List<Replica> all = state.replicas(service);
    DeploySpec canary = ms == null ? null : ms.canarySpec();
    ServiceState.Split split =
        ServiceState.split(
            all, ms == null ? null : ms.stableId(), canary == null ? null : canary.deploymentId());
    HealthCheck check = ms == null ? null : ms.stableHealthCheck();
    if (check == null && ms == null && split.stable() != null) {
      check = history.find(service, split.stable()).map(e -> e.spec().healthCheck()).orElse(null);
    }
    ServiceState.Known known =
        new ServiceState.Known(
            ms == null ? -1 : ms.desired(), check, busy, ms != null && ms.stoppedOnPurpose());
    return state.status(service, split, all, known);
  }
}
