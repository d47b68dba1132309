package dev.syntra.server.webhook.internal;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a webhook's delivery log: one event to one webhook, with the outcome of its latest
 * attempt. Admins only: the payload holds the event's data.
 *
 * @param status {@code pending}, {@code succeeded} or {@code failed}
 * @param attempts attempts made so far
 * @param responseStatus the HTTP status of the latest attempt, null if no response came
 * @param responseBody the start (at most 4 KiB) of the latest response body
 * @param lastError why the latest attempt failed, null after a success
 * @param nextAttemptAt when the next attempt is due; null unless pending
 */
public record DeliveryView(
    UUID id,
    UUID webhookId,
    UUID eventId,
    String eventType,
    String status,
    int attempts,
    @Nullable Integer responseStatus,
    @Nullable String responseBody,
    @Nullable String lastError,
    Instant createdAt,
    @Nullable Instant lastAttemptAt,
    @Nullable Instant nextAttemptAt,
    JsonNode payload) {}
