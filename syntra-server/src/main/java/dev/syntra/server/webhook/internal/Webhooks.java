package dev.syntra.server.webhook.internal;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.crypto.KeyVersions;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.webhook.WebhookSecrets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Webhook rows. Every query names the organization, and RLS enforces it again. Secrets are stored
 * sealed by {@link SecretBox} under the organization's current key, bound to the row by {@link
 * WebhookSecrets#associatedData} (key rotation re-seals with exactly that).
 */
@Component
class Webhooks {
  private static final String COLUMNS =
      "id, url, description, events, active, created_at, updated_at";

  private final SecretBox secretBox;

  Webhooks(SecretBox secretBox) {
    this.secretBox = secretBox;
  }

  WebhookView require(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("webhook"));
  }

  List<WebhookView> list(Handle h, UUID orgId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhooks WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  WebhookView insert(
      Handle h,
      UUID id,
      UUID orgId,
      String url,
      String description,
      List<String> events,
      String secret) {
    int keyVersion = KeyVersions.currentForSealing(h, orgId);
    h.createUpdate(
            "INSERT INTO webhooks (id, org_id, url, description, secret_ciphertext, key_version,"
                + " events) VALUES (:id, :org, :url, :description, :secret, :version,"
                + " CAST(:events AS text[]))")
        .bind("id", id)
        .bind("org", orgId)
        .bind("url", url)
        .bind("description", description)
        .bind(
            "secret", secretBox.seal(orgId, keyVersion, secret, WebhookSecrets.associatedData(id)))
        .bind("version", keyVersion)
        .bind("events", events.toArray(String[]::new))
        .execute();
    return require(h, orgId, id);
  }

  /** Applies the given changes; null arguments leave their column as it is. */
  WebhookView update(
      Handle h,
      UUID orgId,
      UUID id,
      @Nullable String url,
      @Nullable String description,
      @Nullable List<String> events,
      @Nullable Boolean active) {
    h.createUpdate(
            "UPDATE webhooks SET url = coalesce(:url, url),"
                + " description = coalesce(:description, description),"
                + " events = coalesce(CAST(:events AS text[]), events),"
                + " active = coalesce(CAST(:active AS boolean), active), updated_at = now()"
                + " WHERE org_id = :org AND id = :id")
        .bind("url", url)
        .bind("description", description)
        .bind("events", events == null ? null : events.toArray(String[]::new))
        .bind("active", active)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
    return require(h, orgId, id);
  }

  void replaceSecret(Handle h, UUID orgId, UUID id, String secret) {
    int keyVersion = KeyVersions.currentForSealing(h, orgId);
    h.createUpdate(
            "UPDATE webhooks SET secret_ciphertext = :secret, key_version = :version,"
                + " updated_at = now() WHERE org_id = :org AND id = :id")
        .bind(
            "secret", secretBox.seal(orgId, keyVersion, secret, WebhookSecrets.associatedData(id)))
        .bind("version", keyVersion)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  void delete(Handle h, UUID orgId, UUID id) {
    h.createUpdate("DELETE FROM webhooks WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  private static WebhookView read(ResultSet rs) throws SQLException {
    return new WebhookView(
        rs.getObject("id", UUID.class),
        rs.getString("url"),
        rs.getString("description"),
        List.of((String[]) rs.getArray("events").getArray()),
        rs.getBoolean("active"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
