package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Builds a {@link ServiceStatus} from the service's Deployments and pods. */
public final class StatusReader {
  private final Cluster cluster;
  private final Clock clock;

  public StatusReader(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** Current state; {@code busy} when an operation on the service runs in this adapter. */
  public ServiceStatus read(ServiceRef service, boolean busy) {
    List<Deployment> deployments = cluster.deployments(service);
    if (deployments.isEmpty()) {
      return new ServiceStatus(service, ServiceStatus.State.NOT_FOUND, null, 0, List.of(), null);
    }
    Map<String, String> revisionOfSlot = new HashMap<>();
    int desired = 0;
    for (Deployment d : deployments) {
      desired += d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      revisionOfSlot.put(
          Cluster.label(d, Names.SLOT),
          d.getSpec().getTemplate().getMetadata().getLabels().get(Names.REVISION));
    }
    List<Pod> pods = cluster.pods(service, null);
    List<ReplicaStatus> replicas = new ArrayList<>();
    boolean outdated = false;
    String podReason = null;
    for (Pod pod : pods) {
      PodState state = new PodState(pod);
      ReplicaStatus replica = state.toReplica(clock);
      replicas.add(replica);
      if (!Objects.equals(state.revision(), revisionOfSlot.get(Cluster.label(pod, Names.SLOT)))) {
        outdated = true;
      }
      if (podReason == null && replica.reason() != null) {
        podReason = replica.reason();
      }
    }
    Deployment stable = cluster.stable(service).orElse(deployments.getFirst());
    String deploymentId = Cluster.annotation(stable, Names.DEPLOYMENT_ID, "");
    long ready =
        replicas.stream()
            .filter(r -> r.state() == ReplicaStatus.State.RUNNING)
            .filter(r ->
                r.health() == ReplicaStatus.Health.HEALTHY
                    || r.health() == ReplicaStatus.Health.NONE)
            .count();
    ServiceStatus.State state;
    String reason = null;
    if (desired == 0) {
      state = ServiceStatus.State.STOPPED;
    } else if (!busy && !outdated && ready == desired && replicas.size() == desired) {
      state = ServiceStatus.State.RUNNING;
    } else if (busy || (outdated && podReason == null)) {
      state = ServiceStatus.State.DEPLOYING;
      reason = podReason;
    } else if (ready == 0) {
      state = ServiceStatus.State.FAILED;
      reason =
          podReason != null ? podReason : deploymentReason(deployments, desired, replicas.size());
    } else {
      state = ServiceStatus.State.DEGRADED;
      reason =
          podReason != null
              ? podReason
              : ready
                  + " of "
                  + desired
                  + " replicas ready"
                  + (replicas.size() > desired ? " (surplus replicas terminating)" : "");
    }
    return new ServiceStatus(
        service,
        state,
        deploymentId.isEmpty() ? null : deploymentId,
        Math.min(desired, 1000),
        replicas,
        reason);
  }

  private static @Nullable String deploymentReason(
      List<Deployment> deployments, int desired, int pods) {
    for (Deployment d : deployments) {
      if (d.getStatus() == null || d.getStatus().getConditions() == null) {
        continue;
      }
      for (DeploymentCondition c : d.getStatus().getConditions()) {
        if ("False".equals(c.getStatus()) || "ReplicaFailure".equals(c.getType())) {
          return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
      }
    }
    return pods == 0 ? "no pod exists for " + desired + " desired replicas" : null;
  }
}
