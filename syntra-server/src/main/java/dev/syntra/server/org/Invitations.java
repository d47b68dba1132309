package dev.syntra.server.org;

import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Invitation rows. Only the hash of an invitation token is stored. */
@Component
class Invitations {
  /** Invitation tokens: {@code syn_inv_}, 30 random base62 characters and a checksum. */
  static final TokenFormat FORMAT = new TokenFormat("syn_inv_");

  /** How long an invitation can be accepted. */
  static final Duration VALIDITY = Duration.ofDays(7);

  private static final String COLUMNS =
      "id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at";

  Optional<InvitationView> find(Handle h, UUID orgId, UUID id, Instant now) {
    return h.createQuery("SELECT " + COLUMNS + " FROM invitations WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs, now))
        .findOne();
  }

  InvitationView require(Handle h, UUID orgId, UUID id, Instant now) {
    return find(h, orgId, id, now).orElseThrow(() -> ApiException.notFound("invitation"));
  }

  List<InvitationView> list(Handle h, UUID orgId, Page.Request page, Instant now) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM invitations WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs, now))
        .list();
  }

  boolean pendingFor(Handle h, UUID orgId, String email, Instant now) {
    return h.createQuery(
                "SELECT count(*) FROM invitations WHERE org_id = :org"
                    + " AND lower(email) = lower(:email) AND accepted_at IS NULL"
                    + " AND revoked_at IS NULL AND expires_at > :now")
            .bind("org", orgId)
            .bind("email", email)
            .bind("now", now)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  void insert(
      Handle h,
      UUID id,
      UUID orgId,
      String email,
      String role,
      String token,
      UUID invitedBy,
      Instant now) {
    h.createUpdate(
            "INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, expires_at,"
                + " created_at) VALUES (:id, :org, :email, :role, :hash, :by, :expires, :now)")
        .bind("id", id)
        .bind("org", orgId)
        .bind("email", email)
        .bind("role", role)
        .bind("hash", TokenHash.of(token).value())
        .bind("by", invitedBy)
        .bind("expires", now.plus(VALIDITY))
        .bind("now", now)
        .execute();
  }

  void revoke(Handle h, UUID orgId, UUID id, Instant now) {
    h.createUpdate(
            "UPDATE invitations SET revoked_at = :now"
                + " WHERE org_id = :org AND id = :id AND revoked_at IS NULL")
        .bind("now", now)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  /**
   * Marks a pending invitation accepted; false when it is no longer pending (used, revoked or
   * expired in the meantime). The row lock makes concurrent accepts of one token take turns.
   */
  boolean claim(Handle h, UUID orgId, UUID id, Instant now) {
    return h.createUpdate(
                "UPDATE invitations SET accepted_at = :now WHERE org_id = :org AND id = :id"
                    + " AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :now")
            .bind("now", now)
            .bind("org", orgId)
            .bind("id", id)
            .execute()
        == 1;
  }

  static String status(
      @Nullable Instant acceptedAt, @Nullable Instant revokedAt, Instant expiresAt, Instant now) {
    if (acceptedAt != null) {
      return "accepted";
    }
    if (revokedAt != null) {
      return "revoked";
    }
    return now.isBefore(expiresAt) ? "pending" : "expired";
  }

  private static InvitationView read(ResultSet rs, Instant now) throws SQLException {
    Instant expires = rs.getTimestamp("expires_at").toInstant();
    Instant accepted = Rows.instant(rs.getTimestamp("accepted_at"));
    Instant revoked = Rows.instant(rs.getTimestamp("revoked_at"));
    return new InvitationView(
        rs.getObject("id", UUID.class),
        rs.getString("email"),
        rs.getString("role"),
        status(accepted, revoked, expires, now),
        rs.getObject("invited_by", UUID.class),
        expires,
        accepted,
        revoked,
        rs.getTimestamp("created_at").toInstant());
  }
}
