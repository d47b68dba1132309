package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
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
  /** The outcome: the new version and how many secrets were re-sealed. */
  record Result(int keyVersion, int envVars, int webhooks, int agentCommands) {}

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
    SealedRows.Resealer resealer = (row, what) -> reseal(orgId, to, row, what);
    return new Result(
        to,
        SealedRows.resealAll(h, orgId, SealedRows.ENV_VARS, resealer),
        SealedRows.resealAll(h, orgId, SealedRows.WEBHOOKS, resealer),
        SealedRows.resealAll(h, orgId, SealedRows.AGENT_COMMANDS, resealer));
  }

  private SealedRows.Resealed reseal(UUID orgId, int to, SealedRows.Sealed row, String what) {
    String plaintext;
    try {
      plaintext = box.open(orgId, row.keyVersion(), row.ciphertext(), row.associatedData());
    } catch (IllegalStateException e) {
      // Rotating would lose this secret for good; stop and keep everything as it was.
      throw new ApiException(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "undecryptable_secret",
          "the "
              + what
              + " cannot be decrypted (was the master key changed?); nothing was rotated");
    }
    return new SealedRows.Resealed(box.seal(orgId, to, plaintext, row.associatedData()), to);
  }
}
