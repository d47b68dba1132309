package dev.syntra.server.webhook.internal;

import dev.syntra.server.db.Ids;
import dev.syntra.server.event.Event;
import dev.syntra.server.event.EventSubscriber;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook outbox: one pending delivery per subscribed webhook, written in the same transaction
 * as the change that caused the event, so an event is sent if and only if its change committed. The
 * {@link WebhookDispatcher} sends them later, surviving restarts.
 */
@Component
class WebhookOutbox implements EventSubscriber {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public void onEvent(Handle handle, Event event) {
    List<UUID> webhooks =
        handle
            .createQuery(
                "SELECT id FROM webhooks WHERE org_id = :org AND active"
                    + " AND (:type = ANY(events) OR '*' = ANY(events))")
            .bind("org", event.orgId())
            .bind("type", event.type())
            .mapTo(UUID.class)
            .list();
    if (webhooks.isEmpty()) {
      return;
    }
    String json = payload(event);
    for (UUID webhook : webhooks) {
      insert(handle, webhook, event, json);
    }
  }

  /**
   * Queues {@code event} for one webhook only, whatever it subscribes to (a test event); returns
   * the delivery's id.
   */
  UUID queueFor(Handle handle, UUID webhookId, Event event) {
    return insert(handle, webhookId, event, payload(event));
  }

  private static String payload(Event event) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", event.id().toString());
    payload.put("event", event.type());
    payload.put("timestamp", event.at().toString());
    payload.put("data", event.data());
    return JSON.writeValueAsString(payload);
  }

  private static UUID insert(Handle handle, UUID webhookId, Event event, String json) {
    UUID id = Ids.next();
    handle
        .createUpdate(
            "INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_id, event_type, payload,"
                + " next_attempt_at) VALUES (:id, :org, :webhook, :event, :type,"
                + " CAST(:payload AS jsonb), :now)")
        .bind("id", id)
        .bind("org", event.orgId())
        .bind("webhook", webhookId)
        .bind("event", event.id())
        .bind("type", event.type())
        .bind("payload", json)
        .bind("now", event.at())
        .execute();
    return id;
  }
}
