package dev.syntra.server.webhook.internal;

import dev.syntra.server.crypto.SealedRow;
import dev.syntra.server.crypto.SealedRows;
import dev.syntra.server.webhook.WebhookSecrets;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** The signing secrets of an organization's webhooks, for key rotation. */
@Component
class SealedWebhookSecrets implements SealedRows {

  @Override
  public String kind() {
    return "webhooks";
  }

  @Override
  public List<SealedRow> page(Handle h, UUID orgId, UUID after, int limit) {
    return h.createQuery(
            "SELECT id, secret_ciphertext, key_version FROM webhooks"
                + " WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> {
          UUID id = rs.getObject("id", UUID.class);
          return new SealedRow(
              id,
              rs.getBytes("secret_ciphertext"),
              rs.getInt("key_version"),
              WebhookSecrets.associatedData(id));
        })
        .list();
  }

  @Override
  public void replace(Handle h, UUID orgId, UUID id, byte[] ciphertext, int keyVersion) {
    h.createUpdate(
            "UPDATE webhooks SET secret_ciphertext = :ciphertext, key_version = :version"
                + " WHERE org_id = :org AND id = :id")
        .bind("ciphertext", ciphertext)
        .bind("version", keyVersion)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }
}
