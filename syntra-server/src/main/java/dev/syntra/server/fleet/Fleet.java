package dev.syntra.server.fleet;

import dev.syntra.server.db.Rows;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What other packages may ask about an organization's servers and their agents ({@code servers}
 * belongs to this package: nobody else queries it). Runs in the caller's transaction.
 */
@Component
public class Fleet {

  /**
   * A server's agent as far as sending it work goes.
   *
   * @param serverName the server's name, for messages
   * @param agentId null until an agent registered
   * @param registeredAt when the agent registered, null before
   * @param revoked whether the agent's credential was revoked
   */
  public record ServerAgent(
      String serverName,
      @Nullable String agentId,
      @Nullable Instant registeredAt,
      boolean revoked,
      @Nullable String runtime) {}

  /** Whether the organization has this server. */
  public boolean exists(Handle h, UUID orgId, UUID serverId) {
    return h.createQuery("SELECT count(*) FROM servers WHERE org_id = :org AND id = :id")
            .bind("org", orgId)
            .bind("id", serverId)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** Whether the server exists and is not being deleted (a service may be assigned to it). */
  public boolean acceptsServices(Handle h, UUID orgId, UUID serverId) {
    return h.createQuery(
                // FOR SHARE: a concurrent deletion waits for this assignment (and then stops
                // the service) instead of draining the server under it
                "SELECT count(*) FROM (SELECT 1 FROM servers WHERE org_id = :org AND id = :id"
                    + " AND deletion_requested_at IS NULL FOR SHARE) s")
            .bind("org", orgId)
            .bind("id", serverId)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** Whether the server has a registered agent (one that could act on a command). */
  public boolean hasAgent(Handle h, UUID orgId, UUID serverId) {
    return h.createQuery(
                "SELECT count(*) FROM servers WHERE org_id = :org AND id = :id AND agent_id IS NOT NULL")
            .bind("org", orgId)
            .bind("id", serverId)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** The server's agent, empty when the server does not exist. */
  public Optional<ServerAgent> agent(Handle h, UUID orgId, UUID serverId) {
    return h.createQuery(
            "SELECT name, agent_id, registered_at, agent_revoked_at, runtime FROM servers"
                + " WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", serverId)
        .map((rs, ctx) ->
            new ServerAgent(
                rs.getString("name"),
                rs.getString("agent_id"),
                Rows.instant(rs.getTimestamp("registered_at")),
                rs.getTimestamp("agent_revoked_at") != null,
                rs.getString("runtime")))
        .findOne();
  }
}
