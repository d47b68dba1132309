package dev.syntra.server.fleet;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Hears that a server is about to be deleted, inside the deleting transaction. Spring beans
 * implementing this are called by {@code DELETE /servers/{id}} (without {@code force}); the deploy
 * package queues a stop on the server for each service assigned to it and unassigns them.
 */
public interface ServerDeletionListener {
  /** Stops and unassigns the server's services; returns how many stop commands it queued. */
  int stopWorkloads(Handle h, UUID orgId, UUID serverId);
}
