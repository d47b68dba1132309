package dev.syntra.server.org;

import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Per-project role overrides ({@code project_members}). */
@Component
class ProjectMembers {
  private static final String SELECT =
      "SELECT p.project_id, p.user_id, p.role, m.role AS org_role FROM project_members p"
          + " JOIN org_members m ON m.org_id = p.org_id AND m.user_id = p.user_id"
          + " WHERE p.org_id = :org AND p.project_id = :project";

  Optional<ProjectMemberView> find(Handle h, UUID orgId, UUID projectId, UUID userId) {
    return h.createQuery(SELECT + " AND p.user_id = :user")
        .bind("org", orgId)
        .bind("project", projectId)
        .bind("user", userId)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  List<ProjectMemberView> list(Handle h, UUID orgId, UUID projectId, Page.Request page) {
    return h.createQuery(SELECT + " AND p.user_id > :after ORDER BY p.user_id LIMIT :limit")
        .bind("org", orgId)
        .bind("project", projectId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Sets the override; true when it is new. */
  boolean put(Handle h, UUID orgId, UUID projectId, UUID userId, Role role) {
    boolean existed = find(h, orgId, projectId, userId).isPresent();
    h.createUpdate(
            "INSERT INTO project_members (project_id, org_id, user_id, role)"
                + " VALUES (:project, :org, :user, :role)"
                + " ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role")
        .bind("project", projectId)
        .bind("org", orgId)
        .bind("user", userId)
        .bind("role", role.wireName())
        .execute();
    return !existed;
  }

  void delete(Handle h, UUID orgId, UUID projectId, UUID userId) {
    h.createUpdate(
            "DELETE FROM project_members"
                + " WHERE org_id = :org AND project_id = :project AND user_id = :user")
        .bind("org", orgId)
        .bind("project", projectId)
        .bind("user", userId)
        .execute();
  }

  private static ProjectMemberView read(ResultSet rs) throws SQLException {
    return new ProjectMemberView(
        rs.getObject("project_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("role"),
        rs.getString("org_role"));
  }
}
