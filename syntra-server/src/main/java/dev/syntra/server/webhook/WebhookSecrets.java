package dev.syntra.server.webhook;

import dev.syntra.server.crypto.SecretBox;
import java.util.UUID;

/**
 * The convention for sealing webhook signing secrets ({@code webhooks.secret_ciphertext}) with
 * {@link SecretBox}: associated data {@code webhook:<webhook id>}, under the organization's key of
 * version {@code webhooks.key_version}. Key rotation re-seals those rows with it, so code that
 * seals or opens webhook secrets must use {@link #associatedData} too.
 */
public final class WebhookSecrets {
  private WebhookSecrets() {}

  /** The associated data binding a webhook secret's ciphertext to its row. */
  public static String associatedData(UUID webhookId) {
    return "webhook:" + webhookId;
  }
}
