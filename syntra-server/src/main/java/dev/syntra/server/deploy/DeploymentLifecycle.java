package dev.syntra.server.deploy;

import dev.syntra.server.event.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The status changes of a deployment, each with its event row, its webhook and, after commit, a
 * nudge to the open event streams:
 *
 * <pre>
 * queued → deploying → running | failed | rolled_back
 * queued → cancelled
 * running → superseded (when the service's next deployment or rollback reaches running)
 * </pre>
 *
 * (a first report may also end a queued deployment at once). Callers hold the row lock ({@link
 * Deployments#lock}) and have checked the change goes forward.
 */
@Component
class DeploymentLifecycle {
  private final Deployments deployments;
  private final DeploymentStreams streams;
  private final Clock clock;
  private final Events events;

  DeploymentLifecycle(
      Deployments deployments, DeploymentStreams streams, Clock clock, Events events) {
    this.events = events;
    this.deployments = deployments;
    this.streams = streams;
    this.clock = clock;
  }

  /** The first event of a new deployment. */
  void queued(Handle h, UUID orgId, UUID deploymentId, String message) {
    deployments.appendEvent(h, orgId, deploymentId, "queued", null, message, null, clock.instant());
    notifyAfterCommit(h, deploymentId);
  }

  /** A non-terminal phase: the deployment is (now) deploying. */
  void progress(Handle h, UUID orgId, Deployments.State state, String phase, String message) {
    Instant now = clock.instant();
    deployments.progress(h, orgId, state.id(), "deploying", phase, now);
    deployments.appendEvent(h, orgId, state.id(), "deploying", phase, message, null, now);
    if (state.status().equals("queued")) {
      emit(h, orgId, state, "deployment.started", "deploying", phase, null, null, now);
    }
    notifyAfterCommit(h, state.id());
  }

  /**
   * The end: {@code status} running, failed, rolled_back or cancelled.
   *
   * @param phase the terminal phase the agent reported, or null when it reported none
   */
  void finish(
      Handle h,
      UUID orgId,
      Deployments.State state,
      String status,
      @Nullable String phase,
      @Nullable String errorCode,
      String message) {
    Instant now = clock.instant();
    boolean failed = status.equals("failed") || status.equals("rolled_back");
    deployments.finish(h, orgId, state, status, phase, errorCode, failed ? message : null, now);
    deployments.appendEvent(h, orgId, state.id(), status, phase, message, errorCode, now);
    if (status.equals("running")) {
      for (UUID previous : deployments.supersedeOthers(h, orgId, state.serviceId(), state.id())) {
        deployments.appendEvent(
            h, orgId, previous, "superseded", null, "superseded by " + state.id(), null, now);
        notifyAfterCommit(h, previous);
      }
      emit(h, orgId, state, "deployment.completed", status, phase, null, null, now);
    } else if (failed) {
      emit(h, orgId, state, "deployment.failed", status, phase, errorCode, message, now);
    }
    notifyAfterCommit(h, state.id());
  }

  private void notifyAfterCommit(Handle h, UUID deploymentId) {
    h.afterCommit(() -> streams.changed(deploymentId));
  }

  private void emit(
      Handle h,
      UUID orgId,
      Deployments.State state,
      String type,
      String status,
      @Nullable String phase,
      @Nullable String errorCode,
      @Nullable String errorMessage,
      Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("deployment_id", state.id().toString());
    data.put("service_id", state.serviceId().toString());
    data.put("status", status);
    data.put("phase", phase);
    data.put("image", state.image());
    if (errorCode != null) {
      data.put("error_code", errorCode);
    }
    if (errorMessage != null) {
      data.put("error_message", Deployments.clip(errorMessage));
    }
    events.emit(h, orgId, type, data, now);
  }
}
