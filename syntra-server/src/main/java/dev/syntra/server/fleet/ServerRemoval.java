package dev.syntra.server.fleet;

import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import java.time.Clock;
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
public class ServerRemoval {
  /** Whether a server still has commands its agent has not answered (the command package knows). */
  public interface PendingCommands {
    boolean hasPending(Handle h, UUID serverId);
  }

  private final Tenancy tenancy;
  private final Servers servers;
  private final PendingCommands commands;
  private final ObjectProvider<AgentLinks> links; // the hub reports to the drain: resolved lazily
  private final Events events;
  private final Clock clock;
  private final List<ServerDeletionListener> listeners;

  ServerRemoval(
      Tenancy tenancy,
      Servers servers,
      PendingCommands commands,
      ObjectProvider<AgentLinks> links,
      Events events,
      Clock clock,
      List<ServerDeletionListener> listeners) {
    this.tenancy = tenancy;
    this.servers = servers;
    this.commands = commands;
    this.links = links;
    this.events = events;
    this.clock = clock;
    this.listeners = listeners;
  }

  /** Deletes {@code server} or starts draining it; true when it is gone now. */
  boolean delete(Handle h, Caller caller, ServerView server, boolean force) {
    UUID orgId = caller.orgId();
    // A revoked agent can answer nothing: waiting for it would keep the server forever.
    if (!force && server.revokedAt() == null) {
      // Locked before listing its services: an assignment racing this deletion either commits
      // first (and its service is stopped here) or waits and then sees the server draining; a
      // second deletion waits and then sees the first one's mark.
      servers.lock(h, orgId, server.id());
      if (servers.require(h, orgId, server.id()).deletionRequestedAt() != null) {
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

  /**
   * Deletes the agent's server if it is draining and its agent has answered everything. Called
   * after an agent's command result has committed, in a transaction of its own (deleting the server
   * inside the result's transaction would delete the very command row being recorded).
   */
  public void finishIfDrained(AgentRef agent) {
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
    events.emit(h, orgId, "server.deleted", server.event(), clock.instant());
    UUID id = server.id();
    h.afterCommit(() -> links.getObject().disconnect(id));
  }
}
