package dev.syntra.server.org;

import dev.syntra.server.api.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Organization rows, always read together with one user's membership. */
@Component
class Organizations {
  private static final String COLUMNS =
      "o.id, o.name, o.slug, o.plan, o.owner_id, o.created_at, m.role";

  /**
   * Inserts an organization; false when its slug is taken. Slugs are unique across all
   * organizations, which RLS hides from each other, so the unique index is the only way to know.
   */
  boolean insert(Handle h, UUID id, String name, String slug, UUID ownerId) {
    return h.createUpdate(
                "INSERT INTO organizations (id, name, slug, owner_id, founded_by)"
                    + " VALUES (:id, :name, :slug, :owner, :owner) ON CONFLICT (slug) DO NOTHING")
            .bind("id", id)
            .bind("name", name)
            .bind("slug", slug)
            .bind("owner", ownerId)
            .execute()
        == 1;
  }

  /** The organization as {@code userId} sees it; empty unless they are a member. */
  Optional<OrganizationView> find(Handle h, UUID orgId, UUID userId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM organizations o JOIN org_members m ON m.org_id = o.id"
                + " WHERE o.id = :org AND m.user_id = :user")
        .bind("org", orgId)
        .bind("user", userId)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  /** The organizations {@code userId} belongs to, by id. */
  List<OrganizationView> listForUser(Handle h, UUID userId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM org_members m JOIN organizations o ON o.id = m.org_id"
                + " WHERE m.user_id = :user AND o.id > :after ORDER BY o.id LIMIT :limit")
        .bind("user", userId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /**
   * How many organizations the user in context founded, counting those RLS hides (ones they left).
   * Takes a per-user lock for the rest of the transaction first, so two concurrent creations never
   * both see room under the cap.
   */
  long countFoundedLocked(Handle h, UUID userId) {
    h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
        .bind("key", "syntra.org-founder:" + userId)
        .mapToMap()
        .one();
    return h.createQuery("SELECT syntra_organizations_founded()").mapTo(Long.class).one();
  }

  void rename(Handle h, UUID orgId, String name) {
    h.createUpdate("UPDATE organizations SET name = :name WHERE id = :org")
        .bind("name", name)
        .bind("org", orgId)
        .execute();
  }

  /**
   * Takes the organization's row lock for the rest of the transaction. Changes to members and
   * invitations take it first, so two of them never both see "another owner remains".
   */
  void lock(Handle h, UUID orgId) {
    h.createQuery("SELECT id FROM organizations WHERE id = :org FOR NO KEY UPDATE")
        .bind("org", orgId)
        .mapTo(UUID.class)
        .one();
  }

  private static OrganizationView read(ResultSet rs) throws SQLException {
    return new OrganizationView(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("slug"),
        rs.getString("plan"),
        rs.getObject("owner_id", UUID.class),
        rs.getString("role"),
        rs.getTimestamp("created_at").toInstant());
  }
}
