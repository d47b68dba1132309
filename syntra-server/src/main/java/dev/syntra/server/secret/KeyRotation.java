package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Rotates an organization's encryption key: bumps {@code organizations.key_version} and re-seals
 * every env var and every webhook secret of the organization under the new version, in the caller's
 * transaction (all or nothing). Older versions stay derivable from the master key, so a row is
 * always readable with the version it records.
 */
@Component
class KeyRotation {
  private static final int BATCH = 200;

  /** The outcome: the new version and how many secrets were re-sealed. */
  record Result(int keyVersion, int envVars, int webhooks) {}

  private record EnvRow(
      UUID id,
      UUID projectId,
      @Nullable UUID serviceId,
      String key,
      byte[] ciphertext,
      int keyVersion) {}

  private record WebhookRow(UUID id, byte[] ciphertext, int keyVersion) {}

  private final SecretBox box;

  KeyRotation(SecretBox box) {
    this.box = box;
  }

  Result rotate(Handle h, UUID orgId) {
    // NO KEY UPDATE: waits for env writers (who hold FOR SHARE) without blocking foreign-key
    // checks of unrelated inserts.
    int from =
        h.createQuery("SELECT key_version FROM organizations WHERE id = :org FOR NO KEY UPDATE")
            .bind("org", orgId)
            .mapTo(Integer.class)
            .findOne()
            .orElseThrow(() -> ApiException.notFound("organization"));
    int to = from + 1;
    h.createUpdate("UPDATE organizations SET key_version = :to WHERE id = :org")
        .bind("to", to)
        .bind("org", orgId)
        .execute();
    return new Result(to, resealEnvVars(h, orgId, to), resealWebhooks(h, orgId, to));
  }

  private int resealEnvVars(Handle h, UUID orgId, int to) {
    int count = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<EnvRow> rows =
          h.createQuery(
                  "SELECT id, project_id, service_id, key, ciphertext, key_version FROM env_vars"
                      + " WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
              .bind("org", orgId)
              .bind("after", after)
              .bind("limit", BATCH)
              .map((rs, ctx) ->
                  new EnvRow(
                      rs.getObject("id", UUID.class),
                      rs.getObject("project_id", UUID.class),
                      rs.getObject("service_id", UUID.class),
                      rs.getString("key"),
                      rs.getBytes("ciphertext"),
                      rs.getInt("key_version")))
              .list();
      for (EnvRow row : rows) {
        EnvScope scope =
            row.serviceId() == null
                ? EnvScope.project(row.projectId())
                : EnvScope.service(row.serviceId(), row.projectId());
        byte[] sealed =
            reseal(
                orgId,
                row.keyVersion(),
                to,
                row.ciphertext(),
                scope.associatedData(row.key()),
                "env var " + row.id());
        h.createUpdate(
                "UPDATE env_vars SET ciphertext = :ciphertext, key_version = :version"
                    + " WHERE org_id = :org AND id = :id")
            .bind("ciphertext", sealed)
            .bind("version", to)
            .bind("org", orgId)
            .bind("id", row.id())
            .execute();
        count++;
      }
      if (rows.size() < BATCH) {
        return count;
      }
      after = rows.getLast().id();
    }
  }

  private int resealWebhooks(Handle h, UUID orgId, int to) {
    int count = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<WebhookRow> rows =
          h.createQuery(
                  "SELECT id, secret_ciphertext, key_version FROM webhooks"
                      + " WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
              .bind("org", orgId)
              .bind("after", after)
              .bind("limit", BATCH)
              .map((rs, ctx) ->
                  new WebhookRow(
                      rs.getObject("id", UUID.class),
                      rs.getBytes("secret_ciphertext"),
                      rs.getInt("key_version")))
              .list();
      for (WebhookRow row : rows) {
        byte[] sealed =
            reseal(
                orgId,
                row.keyVersion(),
                to,
                row.ciphertext(),
                WebhookSecrets.associatedData(row.id()),
                "webhook " + row.id());
        h.createUpdate(
                "UPDATE webhooks SET secret_ciphertext = :ciphertext, key_version = :version"
                    + " WHERE org_id = :org AND id = :id")
            .bind("ciphertext", sealed)
            .bind("version", to)
            .bind("org", orgId)
            .bind("id", row.id())
            .execute();
        count++;
      }
      if (rows.size() < BATCH) {
        return count;
      }
      after = rows.getLast().id();
    }
  }

  private byte[] reseal(
      UUID orgId, int from, int to, byte[] sealed, String associatedData, String what) {
    String plaintext;
    try {
      plaintext = box.open(orgId, from, sealed, associatedData);
    } catch (IllegalStateException e) {
      // Rotating would lose this secret for good; stop and keep everything as it was.
      throw new ApiException(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "undecryptable_secret",
          "the "
              + what
              + " cannot be decrypted (was the master key changed?); nothing was rotated");
    }
    return box.seal(orgId, to, plaintext, associatedData);
  }
}
