package dev.syntra.server.org;

import dev.syntra.server.auth.Memberships;
import dev.syntra.server.auth.Role;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Memberships as access checks read them, from {@code org_members} and {@code project_members}. */
@Component
class OrgMemberships implements Memberships {

  @Override
  public Optional<Role> orgRole(Handle h, UUID orgId, UUID userId) {
    return h.createQuery("SELECT role FROM org_members WHERE org_id = :org AND user_id = :user")
        .bind("org", orgId)
        .bind("user", userId)
        .mapTo(String.class)
        .findOne()
        .flatMap(Role::fromWireName);
  }

  @Override
  public @Nullable Role projectRole(Handle h, UUID projectId, UUID userId) {
    return h.createQuery(
            "SELECT role FROM project_members WHERE project_id = :project AND user_id = :user")
        .bind("project", projectId)
        .bind("user", userId)
        .mapTo(String.class)
        .findOne()
        .flatMap(Role::fromWireName)
        .orElse(null);
  }
}
