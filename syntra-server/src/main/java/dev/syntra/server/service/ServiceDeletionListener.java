package dev.syntra.server.service;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Hears that a service is about to be deleted, inside the deleting transaction (an exception rolls
 * the deletion back). Spring beans implementing this are called by {@code DELETE /services/{id}};
 * the deploy package uses it to stop the service on its server.
 */
public interface ServiceDeletionListener {
  void beforeDelete(Handle h, UUID orgId, ServiceView service, String projectSlug);
}
