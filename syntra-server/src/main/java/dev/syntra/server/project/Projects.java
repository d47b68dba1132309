package dev.syntra.server.project;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Memberships;
import dev.syntra.server.auth.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Project rows. Every query names the organization, and RLS enforces it again. */
@Component
public class Projects {
  private final Memberships memberships;
  private final List<ProjectSlugListener> slugListeners;

  public Projects(Memberships memberships, List<ProjectSlugListener> slugListeners) {
    this.memberships = memberships;
    this.slugListeners = List.copyOf(slugListeners);
  }

  private static final String COLUMNS =
      "id, name, slug, description, git_repo_url, git_branch, created_at, updated_at";

  public ProjectView require(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM projects WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("project"));
  }

  /** The member's role override in this project, or null. */
  public @Nullable Role roleOverride(Handle h, UUID projectId, UUID userId) {
    return memberships.projectRole(h, projectId, userId);
  }

  List<ProjectView> list(Handle h, UUID orgId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM projects WHERE org_id = :org AND id > :after"
                + " ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  boolean slugTaken(Handle h, UUID orgId, String slug, @Nullable UUID except) {
    return h.createQuery(
                "SELECT count(*) FROM projects WHERE org_id = :org AND slug = :slug"
                    + " AND id IS DISTINCT FROM :except")
            .bind("org", orgId)
            .bind("slug", slug)
            .bind("except", except)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  ProjectView insert(
      Handle h,
      UUID id,
      UUID orgId,
      String name,
      String slug,
      String description,
      @Nullable String repo,
      @Nullable String branch) {
    h.createUpdate(
            "INSERT INTO projects (id, org_id, name, slug, description, git_repo_url, git_branch)"
                + " VALUES (:id, :org, :name, :slug, :description, :repo, :branch)")
        .bind("id", id)
        .bind("org", orgId)
        .bind("name", name)
        .bind("slug", slug)
        .bind("description", description)
        .bind("repo", repo)
        .bind("branch", branch)
        .execute();
    return require(h, orgId, id);
  }

  /** Applies the given columns (validated, non-null); keys are column names from the controller. */
  ProjectView update(Handle h, UUID orgId, UUID id, Map<String, Object> changes) {
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      h.createUpdate(
              "UPDATE projects SET "
                  + change.getKey()
                  + " = :value, updated_at = now()"
                  + " WHERE org_id = :org AND id = :id")
          .bind("value", change.getValue())
          .bind("org", orgId)
          .bind("id", id)
          .execute();
    }
    if (changes.get("slug") instanceof String slug) {
      slugListeners.forEach(listener -> listener.slugChanged(h, orgId, id, slug));
    }
    return require(h, orgId, id);
  }

  void delete(Handle h, UUID orgId, UUID id) {
    h.createUpdate("DELETE FROM projects WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  private static ProjectView read(ResultSet rs) throws SQLException {
    return new ProjectView(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("slug"),
        rs.getString("description"),
        rs.getString("git_repo_url"),
        rs.getString("git_branch"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
