package dev.syntra.server.fleet;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.hub.AgentCommands;
import dev.syntra.server.hub.AgentHub;
import dev.syntra.server.hub.AgentRef;
import dev.syntra.server.hub.AgentReportListener;
import dev.syntra.server.webhook.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Deleting a server without leaving its workloads running. A server whose agent runs services is
 * not deleted at once: each service gets a stop command on it and is unassigned, the server is
 * marked {@code deletion_requested_at}, and the row (with the agent's credential) goes when the
 * agent has answered every pending command, whether it is connected now or comes back later. {@code
 * force} deletes at once and abandons whatever still runs there. Without an agent, with a revoked
 * one, or with nothing to stop, the server is deleted at once.
 */
@Component
class ServerRemoval implements AgentReportListener {
  private final Tenancy tenancy;
  private final Servers servers;
  private final AgentCommands commands;
  private final ObjectProvider<AgentHub> hub; // the hub calls this listener: resolved lazily
  private final Clock clock;
  private final List<ServerDeletionListener> listeners;

  ServerRemoval(
      Tenancy tenancy,
      Servers servers,
      AgentCommands commands,
      ObjectProvider<AgentHub> hub,
      Clock clock,
      List<ServerDeletionListener> listeners) {
    this.tenancy = tenancy;
    this.servers = servers;
    this.commands = commands;
    this.hub = hub;
    this.clock = clock;
    this.listeners = listeners;
  }

  /** Deletes {@code server} or starts draining it; true when it is gone now. */
  boolean delete(Handle h, Caller caller, ServerView server, boolean force) {
    UUID orgId = caller.orgId();
    // A revoked agent can answer nothing: waiting for it would keep the server forever.
    if (!force && server.revokedAt() == null) {
      if (server.deletionRequestedAt() != null) {
        return false; // already draining: asking again changes nothing
      }
      int stops = listeners.stream().mapToInt(l -> l.stopWorkloads(h, orgId, server.id())).sum();
      if (stops > 0) {
        servers.requestDeletion(h, orgId, server.id());
        AuditLog.record(
            h,
            caller,
            "server.deletion_requested",
            "server",
            server.id(),
            Map.of("name", server.name(), "stops_queued", stops));
        return false;
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", server.name());
    if (force) {
      details.put("force", true);
    }
    deleteNow(h, orgId, caller.userId(), caller.tokenId(), caller.ip(), server, details);
    return true;
  }

  @Override
  public void onDeployStatus(
      Handle h, AgentRef agent, UUID commandId, Instant enteredAt, DeployStatus status) {}

  @Override
  public void onCommandResult(
      Handle h,
      AgentRef agent,
      UUID commandId,
      String commandType,
      @Nullable UUID deploymentId,
      CommandResult result) {
    // In a transaction of its own once this one has committed: deleting the server here would
    // delete the very command row the other listeners are reading.
    h.afterCommit(() -> finishIfDrained(agent));
  }

  private void finishIfDrained(AgentRef agent) {
    tenancy.inOrg(
        agent.orgId(),
        null,
        h -> {
          ServerView server = servers.find(h, agent.orgId(), agent.serverId()).orElse(null);
          if (server == null
              || server.deletionRequestedAt() == null
              || commands.hasPending(h, server.id())) {
            return null;
          }
          Map<String, Object> details = Map.of("name", server.name(), "drained", true);
          deleteNow(h, agent.orgId(), null, null, null, server, details);
          return null;
        });
  }

  private void deleteNow(
      Handle h,
      UUID orgId,
      @Nullable UUID userId,
      @Nullable UUID tokenId,
      @Nullable String ip,
      ServerView server,
      Map<String, Object> details) {
    servers.delete(h, orgId, server.id());
    AuditLog.record(
        h, orgId, userId, tokenId, ip, "server.deleted", "server", server.id(), details);
    Events.emit(h, orgId, "server.deleted", server.event(), clock.instant());
    UUID id = server.id();
    h.afterCommit(() -> hub.getObject().disconnect(id));
  }
}
