package dev.syntra.server.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook with its signing secret: the answer to creating a webhook or rotating its secret, the
 * only two times the secret is ever shown.
 */
public record WebhookWithSecret(
    UUID id,
    String url,
    String description,
    List<String> events,
    boolean active,
    String secret,
    Instant createdAt,
    Instant updatedAt) {

  public WebhookWithSecret {
    events = List.copyOf(events);
  }

  static WebhookWithSecret of(WebhookView webhook, String secret) {
    return new WebhookWithSecret(
        webhook.id(),
        webhook.url(),
        webhook.description(),
        webhook.events(),
        webhook.active(),
        secret,
        webhook.createdAt(),
        webhook.updatedAt());
  }

  @Override
  public String toString() {
    return "WebhookWithSecret[id=" + id + ", url=" + url + ", secret=***]";
  }
}
