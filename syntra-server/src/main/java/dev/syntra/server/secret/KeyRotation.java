package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.command.AgentCommandSecrets;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.webhook.WebhookSecrets;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Rotates an organization's encryption key: bumps {@code organizations.key_version} and re-seals
 * every env var, webhook secret and queued agent command of the organization under the new version,
 * in the caller's transaction (all or nothing). Older versions stay derivable from the master key,
 * so a row is always readable with the version it records.
 */
@Component
class KeyRotation {
  private static final int BATCH = 200;

  /** The outcome: the new version and how many secrets were re-sealed. */
  record Result(int keyVersion, int envVars, int webhooks, int agentCommands) {}

  /** One sealed secret as stored: its row, ciphertext, key version and associated data. */
  private record Sealed(UUID id, byte[] ciphertext, int keyVersion, String associatedData) {}

  /** A table holding sealed secrets, and how to rebuild each row's associated data. */
  private record SealedTable(
      String table,
      String ciphertextColumn,
      String extraColumns,
      String what,
      RowMapper<Sealed> rows) {}

  private static final SealedTable ENV_VARS =
      new SealedTable(
          "env_vars",
          "ciphertext",
          ", project_id, service_id, key",
          "env var",
          (rs, ctx) -> {
            UUID projectId = rs.getObject("project_id", UUID.class);
            UUID serviceId = rs.getObject("service_id", UUID.class);
            EnvScope scope =
                serviceId == null
                    ? EnvScope.project(projectId)
                    : EnvScope.service(serviceId, projectId);
            return new Sealed(
                rs.getObject("id", UUID.class),
                rs.getBytes("ciphertext"),
                rs.getInt("key_version"),
                scope.associatedData(rs.getString("key")));
          });

  private static final SealedTable WEBHOOKS =
      new SealedTable(
          "webhooks",
          "secret_ciphertext",
          "",
          "webhook",
          (rs, ctx) -> {
            UUID id = rs.getObject("id", UUID.class);
            return new Sealed(
                id,
                rs.getBytes("secret_ciphertext"),
                rs.getInt("key_version"),
                WebhookSecrets.associatedData(id));
          });

  private static final SealedTable AGENT_COMMANDS =
      new SealedTable(
          "agent_commands",
          "ciphertext",
          "",
          "agent command",
          (rs, ctx) -> {
            UUID id = rs.getObject("id", UUID.class);
            return new Sealed(
                id,
                rs.getBytes("ciphertext"),
                rs.getInt("key_version"),
                AgentCommandSecrets.associatedData(id));
          });

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
    return new Result(
        to,
        resealAll(h, orgId, to, ENV_VARS),
        resealAll(h, orgId, to, WEBHOOKS),
        resealAll(h, orgId, to, AGENT_COMMANDS));
  }

  /**
   * Re-seals every row of {@code table} in batches (ids ascending), in the caller's transaction.
   */
  private int resealAll(Handle h, UUID orgId, int to, SealedTable table) {
    int count = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<Sealed> rows =
          h.createQuery(
                  "SELECT id, "
                      + table.ciphertextColumn()
                      + ", key_version"
                      + table.extraColumns()
                      + " FROM "
                      + table.table()
                      + " WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
              .bind("org", orgId)
              .bind("after", after)
              .bind("limit", BATCH)
              .map(table.rows())
              .list();
      for (Sealed row : rows) {
        byte[] sealed =
            reseal(
                orgId,
                row.keyVersion(),
                to,
                row.ciphertext(),
                row.associatedData(),
                table.what() + " " + row.id());
        h.createUpdate(
                "UPDATE "
                    + table.table()
                    + " SET "
                    + table.ciphertextColumn()
                    + " = :ciphertext, key_version = :version WHERE org_id = :org AND id = :id")
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
