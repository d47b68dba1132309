package dev.syntra.server.project;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Hears that a project's slug changed, in the transaction of the change (names derived from the
 * slug, such as services' internal DNS names, follow it there). Spring beans implementing this are
 * called by {@link Projects}; an exception rolls the change back.
 */
public interface ProjectSlugListener {
  void slugChanged(Handle h, UUID orgId, UUID projectId, String slug);
}
