package dev.syntra.server.service;

import dev.syntra.server.project.ProjectSlugListener;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Internal DNS names are {@code service.project.internal}: they follow the project's slug. */
@Component
class InternalDnsFollowsSlug implements ProjectSlugListener {

  @Override
  public void slugChanged(Handle h, UUID orgId, UUID projectId, String slug) {
    h.createUpdate(
            "UPDATE services SET internal_dns = name || '.' || :slug || '.internal'"
                + " WHERE org_id = :org AND project_id = :project")
        .bind("slug", slug)
        .bind("org", orgId)
        .bind("project", projectId)
        .execute();
  }
}
