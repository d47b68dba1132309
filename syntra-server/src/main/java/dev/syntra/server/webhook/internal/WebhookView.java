package dev.syntra.server.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A webhook as the API shows it. The signing secret is never part of it. */
public record WebhookView(
    UUID id,
    String url,
    String description,
    List<String> events,
    boolean active,
    Instant createdAt,
    Instant updatedAt) {

  public WebhookView {
    events = List.copyOf(events);
  }
}
