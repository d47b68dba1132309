package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * State of a service on a runtime, with one entry per replica.
 *
 * @param service which service
 * @param state overall state
 * @param deploymentId the deployment currently serving, or null if none
 * @param desiredReplicas replicas the runtime is asked to keep
 * @param replicas per-replica detail
 * @param reason why the service is degraded or failed, or null
 */
public record ServiceStatus(
    ServiceRef service,
    State state,
    @Nullable String deploymentId,
    int desiredReplicas,
    List<ReplicaStatus> replicas,
    @Nullable String reason) {

  /** Overall state of a service. */
  public enum State {
    /** All desired replicas run and are healthy. */
    RUNNING,
    /** A deploy, scale or restart is in progress. */
    DEPLOYING,
    /** Some replicas run, but fewer than desired or some are unhealthy. */
    DEGRADED,
    /** Scaled to zero or stopped on purpose. */
    STOPPED,
    /** No replica runs although some are desired. */
    FAILED,
    /** The runtime does not know this service. */
    NOT_FOUND
  }

  public ServiceStatus {
    Checks.notNull(service, "service");
    Checks.notNull(state, "state");
    if (deploymentId != null) {
      Checks.identifier(deploymentId, "deployment_id");
    }
    Checks.range(desiredReplicas, 0, 1000, "desired_replicas");
    replicas = Checks.list(replicas, "replicas");
  }

  /** Replicas that are running and healthy (or have no health check). */
  public long readyReplicas() {
    return replicas.stream()
        .filter(r -> r.state() == ReplicaStatus.State.RUNNING)
        .filter(r ->
            r.health() == ReplicaStatus.Health.HEALTHY || r.health() == ReplicaStatus.Health.NONE)
        .count();
  }
}
