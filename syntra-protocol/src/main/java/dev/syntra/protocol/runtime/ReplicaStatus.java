package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * State of one replica (a container or a pod).
 *
 * @param id the runtime's name for the replica (container or pod name)
 * @param deploymentId the deployment that created it, or null if unknown
 * @param state lifecycle state
 * @param health result of the health check
 * @param restartCount restarts since creation
 * @param imageDigest digest of the image it runs, e.g. {@code sha256:…}, or null if unknown
 * @param startedAt when it last started, or null if it never did
 * @param reason why it is not running or not healthy (e.g. {@code CrashLoopBackOff}), or null
 */
public record ReplicaStatus(
    String id,
    @Nullable String deploymentId,
    State state,
    Health health,
    int restartCount,
    @Nullable String imageDigest,
    @Nullable Instant startedAt,
    @Nullable String reason) {

  /** Lifecycle state of a replica. */
  public enum State {
    CREATED,
    STARTING,
    RUNNING,
    RESTARTING,
    STOPPED,
    EXITED,
    FAILED,
    UNKNOWN
  }

  /** Health check verdict. {@code NONE} when the service has no health check. */
  public enum Health {
    HEALTHY,
    UNHEALTHY,
    STARTING,
    NONE
  }

  public ReplicaStatus {
    Checks.notBlank(id, "id");
    if (deploymentId != null) {
      Checks.identifier(deploymentId, "deployment_id");
    }
    Checks.notNull(state, "state");
    Checks.notNull(health, "health");
    Checks.range(restartCount, 0, Integer.MAX_VALUE, "restart_count");
  }
}
