package dev.syntra.server.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/**
 * Where features announce what changed: {@link #emit} hands the event to every {@link
 * EventSubscriber} in the transaction of the change, so what a subscriber records (the webhook
 * outbox) commits if and only if the change does. Features call this; they never know who listens.
 */
@Component
public final class Events {
  /** Event types this server emits; webhooks subscribe to these or to {@code *}. */
  public static final List<String> TYPES =
      List.of(
          "project.created",
          "project.updated",
          "project.deleted",
          "service.created",
          "service.updated",
          "service.deleted",
          "server.created",
          "server.deleted",
          "env.updated",
          "member.added",
          "member.updated",
          "member.removed",
          "deployment.started",
          "deployment.completed",
          "deployment.failed",
          "webhook.test");

  private final List<EventSubscriber> subscribers;

  public Events(List<EventSubscriber> subscribers) {
    this.subscribers = List.copyOf(subscribers);
  }

  /** Hands {@code type} with {@code data} to every subscriber, in the caller's transaction. */
  public void emit(Handle handle, UUID orgId, String type, Map<String, ?> data, Instant now) {
    Event event = Event.of(orgId, type, data, now);
    for (EventSubscriber subscriber : subscribers) {
      subscriber.onEvent(handle, event);
    }
  }
}
