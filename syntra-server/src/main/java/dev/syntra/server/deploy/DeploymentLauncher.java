package dev.syntra.server.deploy;

import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.project.Projects;
import dev.syntra.server.secret.EnvVars;
import dev.syntra.server.service.ServiceView;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Starts, rolls back and cancels deployments, one transaction each: the deployment row, its first
 * event, the sealed command for the agent and the audit entry commit together, and the hub is woken
 * after the commit.
 */
@Component
class DeploymentLauncher {
  private final Tenancy tenancy;
  private final DeployAccess access;
  private final Deployments deployments;
  private final DeploymentLifecycle lifecycle;
  private final CommandQueue queue;
  private final EnvVars envVars;
  private final Projects projects;
  private final TelemetryConfigs telemetry;
  private final Clock clock;

  DeploymentLauncher(
      Tenancy tenancy,
      DeployAccess access,
      Deployments deployments,
      DeploymentLifecycle lifecycle,
      CommandQueue queue,
      EnvVars envVars,
      Projects projects,
      TelemetryConfigs telemetry,
      Clock clock) {
    this.tenancy = tenancy;
    this.access = access;
    this.deployments = deployments;
    this.lifecycle = lifecycle;
    this.queue = queue;
    this.envVars = envVars;
    this.projects = projects;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** {@code POST /services/{id}/deploy}. */
  DeploymentView deploy(
      Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    UUID id = Ids.next(clock);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeployAccess.Deployable deployable = access.deployable(h, caller, serviceId, permission);
          DeployRequest request = DeployRequest.read(DeployAccess.body(json));
          ServiceView service = deployable.service();
          String image = request.imageOver(service.image());
          DeployTarget target = deployable.target(h, caller.orgId());
          Map<String, String> env =
              new LinkedHashMap<>(envVars.resolveForDeploy(h, caller.orgId(), serviceId));
          env.putAll(request.env());
          env = telemetry.withOtel(h, caller.orgId(), target, id, env);
          DeploySpec spec =
              DeploySpecs.build(
                  id,
                  target.ref(),
                  service,
                  image,
                  request.strategy(),
                  request.canaryPercent(),
                  env);
          String strategy = request.strategy().name().toLowerCase(Locale.ROOT);
          deployments.insert(
              h,
              caller.orgId(),
              new Deployments.NewDeployment(
                  id,
                  serviceId,
                  target.serverId(),
                  image,
                  ImageReference.parse(image).digest(),
                  strategy,
                  service.replicas(),
                  "api",
                  caller.userId(),
                  null));
          lifecycle.queued(h, caller.orgId(), id, "queued " + image + " (" + strategy + ")");
          // First, so the agent samples and scrapes the new replicas as configured (and an agent
          // that lost its state gets the settings back).
          telemetry.sendCurrent(h, caller.orgId(), target);
          UUID command = queue.send(h, caller.orgId(), target, id, new DeployCommand(spec));
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("service_id", serviceId.toString());
          details.put("image", image);
          details.put("strategy", strategy);
          details.put("env_overrides", List.copyOf(request.env().keySet()));
          details.put("command_id", command.toString());
          AuditLog.record(h, caller, "deployment.created", "deployment", id, details);
          return deployments.requireWithEvents(h, caller.orgId(), id);
        });
  }

  /** {@code POST /services/{id}/rollback} with an optional {@code deployment_id} target. */
  DeploymentView rollback(
      Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    UUID id = Ids.next(clock);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeployAccess.Deployable deployable = access.deployable(h, caller, serviceId, permission);
          JsonBody body = DeployAccess.body(json);
          String given = body.string("deployment_id", false, 36);
          body.validate();
          DeploymentView targetDeployment = rollbackTarget(h, caller.orgId(), serviceId, given);
          DeployTarget target = deployable.target(h, caller.orgId());
          if (!target.serverId().equals(targetDeployment.serverId())) {
            throw ApiException.conflict(
                "deployment "
                    + targetDeployment.id()
                    + " ran on another server; its agent's history is not on the service's"
                    + " current server: deploy its image instead");
          }
          deployments.insert(
              h,
              caller.orgId(),
              new Deployments.NewDeployment(
                  id,
                  serviceId,
                  target.serverId(),
                  java.util.Objects.requireNonNull(targetDeployment.image()),
                  targetDeployment.imageDigest(),
                  targetDeployment.strategy() == null
                      ? DeployStrategy.ROLLING.name().toLowerCase(Locale.ROOT)
                      : targetDeployment.strategy(),
                  deployable.service().replicas(),
                  "rollback",
                  caller.userId(),
                  targetDeployment.id()));
          lifecycle.queued(
              h, caller.orgId(), id, "queued rollback to deployment " + targetDeployment.id());
          UUID command =
              queue.send(
                  h,
                  caller.orgId(),
                  target,
                  id,
                  new RollbackCommand(
                      target.ref(), id.toString(), targetDeployment.id().toString()));
          AuditLog.record(
              h,
              caller,
              "deployment.rollback_requested",
              "deployment",
              id,
              Map.of(
                  "service_id", serviceId.toString(),
                  "rollback_of", targetDeployment.id().toString(),
                  "command_id", command.toString()));
          return deployments.requireWithEvents(h, caller.orgId(), id);
        });
  }

  /**
   * {@code POST /deployments/{id}/cancel}: only while its command waits for the agent; the agent
   * cannot abort a rollout it has started (protocol v1).
   */
  DeploymentView cancel(Caller caller, Permission permission, UUID deploymentId) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeploymentView current = deployments.require(h, caller.orgId(), deploymentId);
          ServiceView service = access.readable(h, caller, current.serviceId());
          caller.require(
              permission, projects.roleOverride(h, service.projectId(), caller.userId()));
          Deployments.State state =
              deployments
                  .lock(h, caller.orgId(), deploymentId)
                  .orElseThrow(() -> ApiException.notFound("deployment"));
          if (state.isTerminal()) {
            throw notCancellable(
                "the deployment has already finished (status " + state.status() + ")");
          }
          if (!state.status().equals("queued") || !cancelCommand(h, caller.orgId(), deploymentId)) {
            throw notCancellable(
                "the agent has already received this deployment and a rollout it has started"
                    + " cannot be aborted; wait for it to finish, then roll back if needed");
          }
          lifecycle.finish(h, caller.orgId(), state, "cancelled", null, null, "cancelled");
          AuditLog.record(
              h,
              caller,
              "deployment.cancelled",
              "deployment",
              deploymentId,
              Map.of("service_id", state.serviceId().toString()));
          return deployments.requireWithEvents(h, caller.orgId(), deploymentId);
        });
  }

  private boolean cancelCommand(Handle h, UUID orgId, UUID deploymentId) {
    return queue.cancelQueuedOf(h, orgId, deploymentId);
  }

  /** The given target, or the deployment that was current before the current one. */
  private DeploymentView rollbackTarget(
      Handle h, UUID orgId, UUID serviceId, @Nullable String given) {
    List<DeploymentView> running = deployments.succeeded(h, orgId, serviceId, 2);
    if (given == null) {
      if (running.size() < 2) {
        throw ApiException.conflict(
            running.isEmpty()
                ? "the service has no successful deployment to roll back to"
                : "the service has no successful deployment before the current one");
      }
      return running.get(1);
    }
    DeploymentView target;
    try {
      target =
          deployments
              .find(h, orgId, UUID.fromString(given))
              .filter(d -> d.serviceId().equals(serviceId))
              .orElse(null);
    } catch (IllegalArgumentException e) {
      target = null;
    }
    if (target == null) {
      throw ApiException.invalid("$.deployment_id", "is not a deployment of this service");
    }
    if (target.image() == null) {
      throw ApiException.invalid("$.deployment_id", "has no image to restore");
    }
    if (!target.status().equals("running") && !target.status().equals("superseded")) {
      throw ApiException.invalid(
          "$.deployment_id",
          "did not succeed (status "
              + target.status()
              + "); only deployments that reached"
              + " running can be restored");
    }
    if (!running.isEmpty() && running.getFirst().id().equals(target.id())) {
      throw ApiException.conflict("deployment " + target.id() + " is already the current one");
    }
    return target;
  }

  private static ApiException notCancellable(String message) {
    return new ApiException(HttpStatus.CONFLICT, "not_cancellable", message);
  }
}
