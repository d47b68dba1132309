package dev.syntra.server.event;

import dev.syntra.server.db.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One domain event.
 *
 * @param id unique per event (all deliveries of one event share it)
 * @param type one of {@link Events#TYPES}
 * @param data the event's fields, as webhooks send them
 * @param at when the change happened
 */
public record Event(UUID id, UUID orgId, String type, Map<String, ?> data, Instant at) {

  public Event {
    if (!Events.TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
  }

  /** A new event with a fresh id. */
  public static Event of(UUID orgId, String type, Map<String, ?> data, Instant at) {
    return new Event(Ids.next(), orgId, type, data, at);
  }
}
