package dev.syntra.server.service;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Hears that a service is deleted or changed, inside the changing transaction (an exception rolls
 * the change back). Spring beans implementing this are called by {@code DELETE} and {@code PATCH
 * /services/{id}}; the deploy package uses it so that nothing keeps running under a name or on a
 * server the service no longer has.
 */
public interface ServiceChangeListener {
  /** Before the service row is deleted. */
  void beforeDelete(Handle h, UUID orgId, ServiceView service, String projectSlug);

  /** After an update; {@code before} is the service as it was (its server, its name). */
  void updated(Handle h, UUID orgId, ServiceView before, ServiceView after, String projectSlug);
}
