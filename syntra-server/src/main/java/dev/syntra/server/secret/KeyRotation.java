package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.crypto.KeyVersions;
import dev.syntra.server.crypto.SealedRow;
import dev.syntra.server.crypto.SealedRows;
import dev.syntra.server.crypto.SecretBox;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Rotates an organization's encryption key: bumps the organization's key version and re-seals every
 * env var, webhook secret and queued agent command of the organization under the new version, in
 * the caller's transaction (all or nothing). Older versions stay derivable from the master key, so
 * a row is always readable with the version it records. Each table is read and written by its
 * owner's {@link SealedRows}.
 */
@Component
class KeyRotation {
  private static final int BATCH = 200;

  /** The outcome: the new version and how many secrets were re-sealed. */
  record Result(int keyVersion, int envVars, int webhooks, int agentCommands) {}

  private final SecretBox box;
  private final List<SealedRows> tables;

  KeyRotation(SecretBox box, List<SealedRows> tables) {
    this.box = box;
    this.tables = List.copyOf(tables);
  }

  Result rotate(Handle h, UUID orgId) {
    int from =
        KeyVersions.lockForRotation(h, orgId)
            .orElseThrow(() -> ApiException.notFound("organization"));
    int to = from + 1;
    KeyVersions.advance(h, orgId, to);
    Map<String, Integer> counts = new HashMap<>();
    for (SealedRows table : tables) {
      counts.merge(table.kind(), resealAll(h, orgId, to, table), Integer::sum);
    }
    return new Result(
        to,
        counts.getOrDefault("env_vars", 0),
        counts.getOrDefault("webhooks", 0),
        counts.getOrDefault("agent_commands", 0));
  }

  /**
   * Re-seals every row of {@code table} in batches (ids ascending), in the caller's transaction.
   */
  private int resealAll(Handle h, UUID orgId, int to, SealedRows table) {
    int count = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<SealedRow> rows = table.page(h, orgId, after, BATCH);
      for (SealedRow row : rows) {
        byte[] sealed =
            reseal(
                orgId,
                row.keyVersion(),
                to,
                row.ciphertext(),
                row.associatedData(),
                table.kind() + " " + row.id());
        table.replace(h, orgId, row.id(), sealed, to);
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
