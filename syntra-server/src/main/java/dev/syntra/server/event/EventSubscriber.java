package dev.syntra.server.event;

import org.jdbi.v3.core.Handle;

/**
 * Hears every event, inside the transaction of the change that caused it ({@code handle} is already
 * in the organization's context). What it writes commits with the change; an exception rolls the
 * change back, so implementations only record (the webhook outbox) and never call out.
 */
public interface EventSubscriber {
  void onEvent(Handle handle, Event event);
}
