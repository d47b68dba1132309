package dev.syntra.server.project;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Hears that a project is deleted or its slug changes, inside the changing transaction (an
 * exception rolls the change back). Spring beans implementing this are called by {@code DELETE} and
 * {@code PATCH /projects/{id}}; the deploy package uses it to stop the project's workloads, whose
 * runtime names carry the slug.
 */
public interface ProjectChangeListener {
  /** Before the project and, with it, its services are deleted. */
  void beforeDelete(Handle h, UUID orgId, ProjectView project);

  /** After the slug changed from {@code oldSlug}: workloads under the old name are orphans. */
  void slugChanged(Handle h, UUID orgId, ProjectView project, String oldSlug);
}
