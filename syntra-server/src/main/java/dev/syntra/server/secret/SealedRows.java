package dev.syntra.server.secret;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Every column sealed with {@link SecretBox} (env vars, webhook signing secrets, queued agent
 * commands) and how to re-seal all of one organization's rows, in batches, in the caller's
 * transaction. Used by key rotation (new key version) and master-key rotation (new master key). A
 * new sealed column must be added to {@link #TABLES}, or rotations would leave it unreadable.
 */
final class SealedRows {
  private static final int BATCH = 200;

  /** One sealed value as stored: its row, ciphertext, key version and associated data. */
  record Sealed(UUID id, byte[] ciphertext, int keyVersion, String associatedData) {}

  /** A value sealed again, under {@code keyVersion}. */
  record Resealed(byte[] ciphertext, int keyVersion) {}

  /** Opens a row's value and seals it again; {@code what} names the row for error messages. */
  @FunctionalInterface
  interface Resealer {
    Resealed reseal(Sealed row, String what);
  }

  /** A table holding sealed secrets, and how to rebuild each row's associated data. */
  record Table(
      String table,
      String ciphertextColumn,
      String extraColumns,
      String what,
      RowMapper<Sealed> rows) {}

  static final Table ENV_VARS =
      new Table(
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

  static final Table WEBHOOKS =
      new Table(
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

  static final Table AGENT_COMMANDS =
      new Table(
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

  static final List<Table> TABLES = List.of(ENV_VARS, WEBHOOKS, AGENT_COMMANDS);

  private SealedRows() {}

  /** Re-seals every row of {@code table} of {@code orgId} (ids ascending); returns how many. */
  static int resealAll(Handle h, UUID orgId, Table table, Resealer resealer) {
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
                      + " WHERE org_id = :org AND id > :after AND "
                      + table.ciphertextColumn()
                      // purged command payloads have nothing left to re-seal
                      + " IS NOT NULL ORDER BY id LIMIT :limit")
              .bind("org", orgId)
              .bind("after", after)
              .bind("limit", BATCH)
              .map(table.rows())
              .list();
      for (Sealed row : rows) {
        Resealed resealed = resealer.reseal(row, table.what() + " " + row.id());
        h.createUpdate(
                "UPDATE "
                    + table.table()
                    + " SET "
                    + table.ciphertextColumn()
                    + " = :ciphertext, key_version = :version WHERE org_id = :org AND id = :id")
            .bind("ciphertext", resealed.ciphertext())
            .bind("version", resealed.keyVersion())
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
}
