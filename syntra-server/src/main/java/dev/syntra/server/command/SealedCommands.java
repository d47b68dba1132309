package dev.syntra.server.command;

import dev.syntra.server.crypto.SealedRow;
import dev.syntra.server.crypto.SealedRows;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** The sealed payloads of an organization's agent commands, for key rotation. */
@Component
class SealedCommands implements SealedRows {

  @Override
  public String kind() {
    return "agent_commands";
  }

  @Override
  public List<SealedRow> page(Handle h, UUID orgId, UUID after, int limit) {
    return h.createQuery(
            "SELECT id, ciphertext, key_version FROM agent_commands"
                // purged payloads of finished commands have nothing left to re-seal
                + " WHERE org_id = :org AND id > :after AND ciphertext IS NOT NULL"
                + " ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> {
          UUID id = rs.getObject("id", UUID.class);
          return new SealedRow(
              id,
              rs.getBytes("ciphertext"),
              rs.getInt("key_version"),
              AgentCommandSecrets.associatedData(id));
        })
        .list();
  }

  @Override
  public void replace(Handle h, UUID orgId, UUID id, byte[] ciphertext, int keyVersion) {
    h.createUpdate(
            "UPDATE agent_commands SET ciphertext = :ciphertext, key_version = :version"
                // a payload purged meanwhile stays purged
                + " WHERE org_id = :org AND id = :id AND ciphertext IS NOT NULL")
        .bind("ciphertext", ciphertext)
        .bind("version", keyVersion)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }
}
