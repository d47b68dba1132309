package dev.syntra.server.event;

import dev.syntra.server.db.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event outbox: {@link #emit} writes one pending delivery per subscribed webhook in the same
 * transaction as the change that caused the event, so an event is sent if and only if its change
 * committed. The dispatcher ({@code webhook.internal}) sends them later, surviving restarts.
 */
public final class Events {
  private static final JsonMapper JSON = JsonMapper.builder().build();

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

  private Events() {}

  /**
   * Queues {@code type} with {@code data} for every active webhook of the organization that wants
   * it.
   */
  public static void emit(
      Handle handle, UUID orgId, String type, Map<String, ?> data, Instant now) {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    List<UUID> webhooks =
        handle
            .createQuery(
                "SELECT id FROM webhooks WHERE org_id = :org AND active"
                    + " AND (:type = ANY(events) OR '*' = ANY(events))")
            .bind("org", orgId)
            .bind("type", type)
            .mapTo(UUID.class)
            .list();
    if (webhooks.isEmpty()) {
      return;
    }
    UUID eventId = Ids.next();
    String json = payload(eventId, type, data, now);
    for (UUID webhook : webhooks) {
      insert(handle, orgId, webhook, eventId, type, json, now);
    }
  }

  /**
   * Queues {@code type} for one webhook only, whatever it subscribes to (a test event); returns the
   * delivery's id.
   */
  public static UUID emitTo(
      Handle handle, UUID orgId, UUID webhookId, String type, Map<String, ?> data, Instant now) {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    UUID eventId = Ids.next();
    return insert(handle, orgId, webhookId, eventId, type, payload(eventId, type, data, now), now);
  }

  private static String payload(UUID eventId, String type, Map<String, ?> data, Instant now) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", eventId.toString());
    payload.put("event", type);
    payload.put("timestamp", now.toString());
    payload.put("data", data);
    return JSON.writeValueAsString(payload);
  }

  private static UUID insert(
      Handle handle,
      UUID orgId,
      UUID webhookId,
      UUID eventId,
      String type,
      String json,
      Instant now) {
    UUID id = Ids.next();
    handle
        .createUpdate(
            "INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_id, event_type, payload,"
                + " next_attempt_at) VALUES (:id, :org, :webhook, :event, :type,"
                + " CAST(:payload AS jsonb), :now)")
        .bind("id", id)
        .bind("org", orgId)
        .bind("webhook", webhookId)
        .bind("event", eventId)
        .bind("type", type)
        .bind("payload", json)
        .bind("now", now)
        .execute();
    return id;
  }
}
