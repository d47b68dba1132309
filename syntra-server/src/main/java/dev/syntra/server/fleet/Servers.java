package dev.syntra.server.fleet;

import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Server rows. Token hashes are written here and never read back. */
@Component
class Servers {
  private static final String COLUMNS =
      "id, name, agent_status, hostname, ip_address, runtime, agent_id, agent_version, os, arch,"
          + " cpu_cores, memory_bytes, disk_bytes, last_heartbeat_at, registered_at,"
          + " registration_expires_at, agent_revoked_at, deletion_requested_at, created_at";

  ServerView require(Handle h, UUID orgId, UUID id) {
    return find(h, orgId, id).orElseThrow(() -> ApiException.notFound("server"));
  }

  Optional<ServerView> find(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM servers WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  List<ServerView> list(Handle h, UUID orgId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM servers WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Inserts a pending server; false when the organization has a server of that name. */
  boolean insert(
      Handle h, UUID id, UUID orgId, String name, String registrationToken, Instant expiresAt) {
    return h.createUpdate(
                "INSERT INTO servers (id, org_id, name, registration_token_hash,"
                    + " registration_expires_at) VALUES (:id, :org, :name, :hash, :expires)"
                    + " ON CONFLICT (org_id, name) DO NOTHING")
            .bind("id", id)
            .bind("org", orgId)
            .bind("name", name)
            .bind("hash", TokenHash.of(registrationToken).value())
            .bind("expires", expiresAt)
            .execute()
        == 1;
  }

  /**
   * Replaces the registration token of a pending or revoked server; false if an agent holds a valid
   * credential. For a revoked server this forgets the old agent (id, credential, facts of
   * registration), so the new token enrols a new one.
   */
  boolean replaceRegistrationToken(
      Handle h, UUID orgId, UUID id, String registrationToken, Instant expiresAt) {
    return h.createUpdate(
                "UPDATE servers SET registration_token_hash = :hash,"
                    + " registration_expires_at = :expires, agent_id = NULL,"
                    + " agent_token_hash = NULL, registered_at = NULL, agent_confirmed_at = NULL,"
                    + " agent_revoked_at = NULL, agent_status = 'pending'"
                    + " WHERE org_id = :org AND id = :id AND deletion_requested_at IS NULL"
                    + " AND ((agent_status = 'pending' AND registered_at IS NULL)"
                    + " OR agent_revoked_at IS NOT NULL)")
            .bind("hash", TokenHash.of(registrationToken).value())
            .bind("expires", expiresAt)
            .bind("org", orgId)
            .bind("id", id)
            .execute()
        == 1;
  }

  /**
   * Revokes the server's agent: its credential is refused from now on ({@code agent_revoked}) and
   * an unused registration token expires. False if it was already revoked (nothing changes).
   */
  boolean revoke(Handle h, UUID orgId, UUID id) {
    return h.createUpdate(
                "UPDATE servers SET agent_revoked_at = now(),"
                    + " registration_expires_at = least(registration_expires_at, now()),"
                    + " agent_status = CASE WHEN agent_status = 'online' THEN 'offline'"
                    + " ELSE agent_status END"
                    + " WHERE org_id = :org AND id = :id AND agent_revoked_at IS NULL")
            .bind("org", orgId)
            .bind("id", id)
            .execute()
        == 1;
  }

  /** Marks the server as waiting for its agent to stop its workloads before it is deleted. */
  /** Locks the server's row until the transaction ends (assignments of services wait). */
  void lock(Handle h, UUID orgId, UUID id) {
    h.createQuery("SELECT id FROM servers WHERE org_id = :org AND id = :id FOR UPDATE")
        .bind("org", orgId)
        .bind("id", id)
        .mapTo(UUID.class)
        .list();
  }

  void requestDeletion(Handle h, UUID orgId, UUID id) {
    h.createUpdate(
            "UPDATE servers SET deletion_requested_at = now()"
                + " WHERE org_id = :org AND id = :id AND deletion_requested_at IS NULL")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  void delete(Handle h, UUID orgId, UUID id) {
    h.createUpdate("DELETE FROM servers WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  private static ServerView read(ResultSet rs) throws SQLException {
    return new ServerView(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("agent_status"),
        rs.getString("hostname"),
        rs.getString("ip_address"),
        rs.getString("runtime"),
        rs.getString("agent_id"),
        rs.getString("agent_version"),
        rs.getString("os"),
        rs.getString("arch"),
        rs.getObject("cpu_cores", Integer.class),
        rs.getObject("memory_bytes", Long.class),
        rs.getObject("disk_bytes", Long.class),
        Rows.instant(rs.getTimestamp("last_heartbeat_at")),
        Rows.instant(rs.getTimestamp("registered_at")),
        Rows.instant(rs.getTimestamp("registration_expires_at")),
        Rows.instant(rs.getTimestamp("agent_revoked_at")),
        Rows.instant(rs.getTimestamp("deletion_requested_at")),
        rs.getTimestamp("created_at").toInstant());
  }
}
