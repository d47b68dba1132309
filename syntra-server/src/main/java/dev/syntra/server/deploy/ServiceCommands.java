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
import dev.syntra.server.command.CommandView;
import dev.syntra.server.db.Rows;
import dev.syntra.server.db.Tenancy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Restart, scale and stop of a service: each queues one command for its agent (answered 202) whose
 * outcome shows in the service's command list.
 */
@Component
class ServiceCommands {
  /** Greater than every UUID: the bound before the first page of a newest-first list. */
  private static final UUID END = new UUID(-1L, -1L);

  private static final String COLUMNS =
      "id, type, status, deployment_id, error_code, error_message, created_at, sent_at,"
          + " finished_at";

  private final Tenancy tenancy;
  private final DeployAccess access;
  private final CommandQueue queue;

  ServiceCommands(Tenancy tenancy, DeployAccess access, CommandQueue queue) {
    this.tenancy = tenancy;
    this.access = access;
    this.queue = queue;
  }

  CommandView restart(Caller caller, UUID serviceId, @Nullable JsonNode json) {
    return send(
        caller,
        serviceId,
        json,
        "service.restart_requested",
        (ref, body) -> new RestartCommand(ref));
  }

  CommandView stop(Caller caller, UUID serviceId, @Nullable JsonNode json) {
    return send(
        caller, serviceId, json, "service.stop_requested", (ref, body) -> new StopCommand(ref));
  }

  /** Scales to {@code replicas} (0-1000), which also becomes the service's configured count. */
  CommandView scale(Caller caller, UUID serviceId, @Nullable JsonNode json) {
    return send(
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
          List<CommandView> rows =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM agent_commands WHERE org_id = :org AND service_id = :service"
                          + " AND id < :before ORDER BY id DESC LIMIT :limit")
                  .bind("org", caller.orgId())
                  .bind("service", serviceId)
                  .bind("before", page.after() == null ? END : page.after())
                  .bind("limit", page.fetchSize())
                  .map((rs, ctx) -> read(rs))
                  .list();
          return Page.of(rows, page, CommandView::id);
        });
  }

  /** Reads the command from the body; null when the body is invalid (its errors are recorded). */
  @FunctionalInterface
  private interface CommandFactory {
    @Nullable Command create(ServiceRef ref, JsonBody body);
  }

  private CommandView send(
      Caller caller,
      UUID serviceId,
      @Nullable JsonNode json,
      String action,
      CommandFactory factory) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          DeployAccess.Deployable deployable = access.deployable(h, caller, serviceId);
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
            setReplicas(h, caller.orgId(), serviceId, scale.replicas());
          }
          AuditLog.record(h, caller, action, "service", serviceId, details);
          return h.createQuery(
                  "SELECT " + COLUMNS + " FROM agent_commands WHERE org_id = :org AND id = :id")
              .bind("org", caller.orgId())
              .bind("id", id)
              .map((rs, ctx) -> read(rs))
              .one();
        });
  }

  private static void setReplicas(Handle h, UUID orgId, UUID serviceId, int replicas) {
    h.createUpdate(
            "UPDATE services SET replicas = :replicas, updated_at = now()"
                + " WHERE org_id = :org AND id = :id")
        .bind("replicas", replicas)
        .bind("org", orgId)
        .bind("id", serviceId)
        .execute();
  }

  private static CommandView read(ResultSet rs) throws SQLException {
    return new CommandView(
        rs.getObject("id", UUID.class),
        rs.getString("type"),
        rs.getString("status"),
        rs.getObject("deployment_id", UUID.class),
        rs.getString("error_code"),
        rs.getString("error_message"),
        rs.getTimestamp("created_at").toInstant(),
        Rows.instant(rs.getTimestamp("sent_at")),
        Rows.instant(rs.getTimestamp("finished_at")));
  }
}
