package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.TokenRevocation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Organization memberships. Every query names the organization, and RLS enforces it again. */
@Component
class Members {
  private static final String COLUMNS =
      "m.user_id, u.email, u.name, m.role, m.invited_at, m.accepted_at";
  private static final String FROM =
      " FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = :org";

  MemberView require(Handle h, UUID orgId, UUID userId) {
    return find(h, orgId, userId).orElseThrow(() -> ApiException.notFound("member"));
  }

  Optional<MemberView> find(Handle h, UUID orgId, UUID userId) {
    return h.createQuery("SELECT " + COLUMNS + FROM + " AND m.user_id = :user")
        .bind("org", orgId)
        .bind("user", userId)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  List<MemberView> list(Handle h, UUID orgId, Page.Request page) {
    return h.createQuery(
            "SELECT " + COLUMNS + FROM + " AND m.user_id > :after ORDER BY m.user_id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  boolean emailIsMember(Handle h, UUID orgId, String email) {
    return h.createQuery("SELECT count(*)" + FROM + " AND lower(u.email) = lower(:email)")
            .bind("org", orgId)
            .bind("email", email)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  void insert(
      Handle h, UUID orgId, UUID userId, Role role, @Nullable Instant invitedAt, Instant now) {
    h.createUpdate(
            "INSERT INTO org_members (org_id, user_id, role, invited_at, accepted_at)"
                + " VALUES (:org, :user, :role, :invited, :now)")
        .bind("org", orgId)
        .bind("user", userId)
        .bind("role", role.wireName())
        .bind("invited", invitedAt)
        .bind("now", now)
        .execute();
  }

  long ownerCount(Handle h, UUID orgId) {
    return h.createQuery("SELECT count(*) FROM org_members WHERE org_id = :org AND role = 'owner'")
        .bind("org", orgId)
        .mapTo(Long.class)
        .one();
  }

  void setRole(Handle h, UUID orgId, UUID userId, Role role) {
    h.createUpdate("UPDATE org_members SET role = :role WHERE org_id = :org AND user_id = :user")
        .bind("role", role.wireName())
        .bind("org", orgId)
        .bind("user", userId)
        .execute();
    if (role.atLeast(Role.ADMIN)) {
      // Owners and admins keep their role in every project; an old override would only mislead.
      h.createUpdate("DELETE FROM project_members WHERE org_id = :org AND user_id = :user")
          .bind("org", orgId)
          .bind("user", userId)
          .execute();
    }
  }

  /**
   * Removes the member, their project overrides, and revokes their tokens in this organization (a
   * token of a non-member is refused anyway; revoking makes that visible in token lists).
   *
   * @return how many tokens were revoked
   */
  int remove(Handle h, UUID orgId, UUID userId, Instant now) {
    h.createUpdate("DELETE FROM project_members WHERE org_id = :org AND user_id = :user")
        .bind("org", orgId)
        .bind("user", userId)
        .execute();
    h.createUpdate("DELETE FROM org_members WHERE org_id = :org AND user_id = :user")
        .bind("org", orgId)
        .bind("user", userId)
        .execute();
    return TokenRevocation.revokeAllOf(h, orgId, userId, now);
  }

  /** Keeps {@code organizations.owner_id} pointing at an owner after owners change. */
  void repointOwner(Handle h, UUID orgId) {
    h.createUpdate(
            "UPDATE organizations o SET owner_id = (SELECT user_id FROM org_members"
                + "   WHERE org_id = :org AND role = 'owner' ORDER BY accepted_at, user_id LIMIT 1)"
                + " WHERE o.id = :org AND NOT EXISTS (SELECT 1 FROM org_members m"
                + "   WHERE m.org_id = :org AND m.user_id = o.owner_id AND m.role = 'owner')")
        .bind("org", orgId)
        .execute();
  }

  static Role roleOf(MemberView member) {
    return Role.fromWireName(member.role())
        .orElseThrow(() -> new IllegalStateException("unknown role " + member.role()));
  }

  private static MemberView read(ResultSet rs) throws SQLException {
    Timestamp invited = rs.getTimestamp("invited_at");
    return new MemberView(
        rs.getObject("user_id", UUID.class),
        rs.getString("email"),
        rs.getString("name"),
        rs.getString("role"),
        invited == null ? null : invited.toInstant(),
        rs.getTimestamp("accepted_at").toInstant());
  }
}
