package dev.syntra.server.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A deployment as the API shows it.
 *
 * @param status queued, deploying, running, superseded, failed, rolled_back or cancelled (building
 *     and pushing are reserved for builds); superseded: it reached running and a later deployment
 *     of the service (or a rollback) has since reached running, so only the current one says
 *     running
 * @param phase the last phase the agent reported (pulling, creating, starting, health_checking,
 *     switching, running, failed, rolled_back); null before the first report
 * @param triggerType manual, git_push, workflow, rollback or api
 * @param rollbackOf for a rollback, the deployment it restores
 * @param errorCode for failed and rolled_back: the agent's error code (e.g. {@code
 *     health_check_failed}); null otherwise
 * @param errorMessage why it failed; null otherwise
 * @param deployDurationMs from the first report of the agent to the final one
 * @param totalDurationMs from queued to finished; null until finished
 * @param current whether this is the service's current deployment: the one that most recently
 *     reached running
 * @param events every status and phase change, oldest first; only in the detail of one deployment
 */
public record DeploymentView(
    UUID id,
    UUID serviceId,
    String status,
    @Nullable String phase,
    @Nullable String image,
    @Nullable String imageDigest,
    @Nullable String strategy,
    @Nullable Integer replicas,
    @Nullable UUID serverId,
    String triggerType,
    @Nullable UUID triggeredBy,
    @Nullable UUID rollbackOf,
    @Nullable String errorCode,
    @Nullable String errorMessage,
    Instant queuedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Long deployDurationMs,
    @Nullable Long totalDurationMs,
    boolean current,
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<DeploymentEventView> events) {

  /** Statuses after which nothing changes any more. */
  static boolean isTerminal(String status) {
    return switch (status) {
      case "running", "superseded", "failed", "rolled_back", "cancelled" -> true;
      default -> false;
    };
  }

  DeploymentView withEvents(List<DeploymentEventView> list) {
    return new DeploymentView(
        id,
        serviceId,
        status,
        phase,
        image,
        imageDigest,
        strategy,
        replicas,
        serverId,
        triggerType,
        triggeredBy,
        rollbackOf,
        errorCode,
        errorMessage,
        queuedAt,
        startedAt,
        finishedAt,
        deployDurationMs,
        totalDurationMs,
        current,
        createdAt,
        List.copyOf(list));
  }
}
