package dev.syntra.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Assertions on {@link ServiceStatus} shared by the runtime contract tests. */
public final class ContractStatus {
  private ContractStatus() {}

  /**
   * The service runs {@code replicas} ready replicas, all of {@code deploymentId} and none of any
   * other deployment.
   */
  public static void assertRunning(ServiceStatus status, String deploymentId, int replicas) {
    assertThat(status.state()).as("state of " + status).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(status.deploymentId()).as("serving deployment").isEqualTo(deploymentId);
    assertThat(status.desiredReplicas()).as("desired replicas").isEqualTo(replicas);
    assertThat(status.readyReplicas()).as("ready replicas of " + status).isEqualTo(replicas);
    assertThat(status.replicas()).as("replicas").hasSize(replicas);
    assertThat(status.replicas())
        .allSatisfy(replica -> {
          assertThat(replica.deploymentId()).as("deployment of " + replica).isEqualTo(deploymentId);
          assertThat(replica.state())
              .as("state of " + replica)
              .isEqualTo(ReplicaStatus.State.RUNNING);
        });
    assertThat(replicaIds(status)).as("distinct replica ids").hasSize(replicas);
  }

  /** Nothing of the service runs: no replica, and it is unknown, stopped or failed. */
  public static void assertNothingRuns(ServiceStatus status) {
    assertThat(status.replicas()).as("replicas left behind in " + status).isEmpty();
    assertThat(status.state())
        .as("state of " + status)
        .isIn(
            ServiceStatus.State.NOT_FOUND, ServiceStatus.State.STOPPED, ServiceStatus.State.FAILED);
  }

  /** The ids of the replicas in {@code status}. */
  public static Set<String> replicaIds(ServiceStatus status) {
    return status.replicas().stream().map(ReplicaStatus::id).collect(Collectors.toSet());
  }

  /** Lines grouped per replica keep the order the runtime stamped them in. */
  public static void assertOrderedPerReplica(List<LogLine> lines) {
    lines.stream()
        .collect(Collectors.groupingBy(LogLine::replicaId))
        .forEach((replica, ofReplica) ->
            assertThat(ofReplica)
                .as("lines of " + replica + " in timestamp order")
                .isSortedAccordingTo((a, b) -> a.at().compareTo(b.at())));
  }
}
