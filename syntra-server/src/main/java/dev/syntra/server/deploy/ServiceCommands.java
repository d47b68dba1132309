package dev.syntra.server.deploy;

import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.command.CommandHistory;
import dev.syntra.server.command.CommandView;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.service.Services;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Restart, scale and stop of a service: each queues one command for its agent (answered 202) whose
 * outcome shows in the service's command list.
 */
@Component
class ServiceCommands {
  private final Tenancy tenancy;
  private final DeployAccess access;
  private final CommandQueue queue;
  private final CommandHistory history;
  private final Services services;

  ServiceCommands(
      Tenancy tenancy,
      DeployAccess access,
      CommandQueue queue,
      CommandHistory history,
      Services services) {
    this.tenancy = tenancy;
    this.access = access;
    this.queue = queue;
    this.history = history;
    this.services = services;
  }

  CommandView restart(
      Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    return send(
        permission,
        caller,
        serviceId,
        json,
        "service.restart_requested",
        (ref, body) -> new RestartCommand(ref));
  }

  CommandView stop(Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    return send(
        permission,
        caller,
        serviceId,
        json,
        "service.stop_requested",
        (ref, body) -> new StopCommand(ref));
  }

  /** Scales to {@code replicas} (0-1000), which also becomes the service's configured count. */
  CommandView scale(Caller caller, Permission permission, UUID serviceId, @Nullable JsonNode json) {
    return send(
        permission,
        caller,
        serviceId,
        json,
        "service.scale_requested",
        (ref, body) -> {
          Integer replicas = body.integer("replicas", true, 0, 1000);
          return replicas == null ? null : new ScaleCommand(ref, replicas);
        });
  }

  /** The service's commands, newest first. */
  Page<CommandView> list(Caller caller, UUID serviceId, Page.Request page) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          access.readable(h, caller, serviceId);
          return history.ofService(h, caller.orgId(), serviceId, page);
        });
  }

  /** Reads the command from the body; null when the body is invalid (its errors are recorded). */
  @FunctionalInterface
  private interface CommandFactory {
    @Nullable Command create(ServiceRef ref, JsonBody body);
  }

  private CommandView send(
      Permission permission,
      Caller caller,
      UUID serviceId,
      @Nullable JsonNode json,
      String action,
      CommandFactory factory) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeployAccess.Deployable deployable = access.deployable(h, caller, serviceId, permission);
          JsonBody body = DeployAccess.body(json);
          Command command = factory.create(deployable.ref(), body);
          body.validate();
          if (command == null) {
            throw new IllegalStateException("a valid body made no command");
          }
          DeployTarget target = deployable.target(h, caller.orgId());
          UUID id = queue.send(h, caller.orgId(), target, null, command);
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("command_id", id.toString());
          details.put("server_id", target.serverId().toString());
          if (command instanceof ScaleCommand scale) {
            details.put("replicas", scale.replicas());
            services.setReplicas(h, caller.orgId(), serviceId, scale.replicas());
          }
          AuditLog.record(h, caller, action, "service", serviceId, details);
          return history.require(h, caller.orgId(), id);
        });
  }
}
