package dev.syntra.server.crypto;

import dev.syntra.server.db.Tenancy;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every stored secret is sealed under the master key this server runs with, before the
 * {@link SecretBox} is handed out. The database records the key's {@link MasterKey#fingerprint()}.
 * A start with another key is refused, unless {@code SYNTRA_MASTER_KEY_PREVIOUS} holds the recorded
 * key: then every sealed value of every organization is opened with it and sealed again with the
 * new key, and the new fingerprint recorded, in one transaction (a failure changes nothing). Later
 * starts need only the new key.
 */
final class MasterKeyRotation {
  private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

  private static final int BATCH = 200;

  private MasterKeyRotation() {}

  /** Re-seals under {@code current} when the data is sealed under {@code previous}. */
  static void sealEverythingUnder(
      Tenancy tenancy, List<SealedRows> tables, MasterKey current, @Nullable MasterKey previous) {
    tenancy.withoutOrg(null, h -> run(h, tables, current, previous));
  }

  private static @Nullable Void run(
      Handle h, List<SealedRows> tables, MasterKey current, @Nullable MasterKey previous) {
    // A database without a record (new, or sealed by a version that kept none) is sealed under the
    // previous key when one is given, else under this one.
    h.createUpdate(
            "INSERT INTO syntra_master_key (fingerprint) VALUES (:fingerprint)"
                + " ON CONFLICT (singleton) DO NOTHING")
        .bind("fingerprint", (previous != null ? previous : current).fingerprint())
        .execute();
    // FOR UPDATE: a second instance starting at the same time waits, then sees the new key.
    String stored =
        h.createQuery("SELECT fingerprint FROM syntra_master_key FOR UPDATE")
            .mapTo(String.class)
            .one();
    if (stored.equals(current.fingerprint())) {
      if (previous != null) {
        log.info(
            "The secrets are sealed under SYNTRA_MASTER_KEY: SYNTRA_MASTER_KEY_PREVIOUS can go");
      }
      return null;
    }
    if (previous == null || !stored.equals(previous.fingerprint())) {
      throw new IllegalStateException(
          "SYNTRA_MASTER_KEY: the stored secrets are sealed under another master key (fingerprint "
              + stored
              + ", this key's is "
              + current.fingerprint()
              + "). Start with the key they were sealed with, or, to rotate, set"
              + " SYNTRA_MASTER_KEY_PREVIOUS to that key and SYNTRA_MASTER_KEY (or master.key) to"
              + " the new one");
    }
    int count = resealAll(h, tables, new SecretBox(previous), new SecretBox(current));
    h.createUpdate("UPDATE syntra_master_key SET fingerprint = :fingerprint, updated_at = now()")
        .bind("fingerprint", current.fingerprint())
        .execute();
    log.warn(
        "Master key rotated: {} sealed values re-sealed under the new key; remove"
            + " SYNTRA_MASTER_KEY_PREVIOUS and keep only the new key",
        count);
    return null;
  }

  private static int resealAll(Handle h, List<SealedRows> tables, SecretBox from, SecretBox to) {
    List<UUID> organizations =
        h.createQuery("SELECT * FROM syntra_organization_ids()").mapTo(UUID.class).list();
    int count = 0;
    for (UUID orgId : organizations) {
      // Row-level security: the rest of this transaction acts for this organization.
      h.createQuery("SELECT set_config('syntra.org_id', :org, true)")
          .bind("org", orgId.toString())
          .mapTo(String.class)
          .one();
      for (SealedRows table : tables) {
        count += resealAll(h, orgId, table, from, to);
      }
    }
    return count;
  }

  /** Re-seals every row of {@code table} of {@code orgId} in batches (ids ascending). */
  private static int resealAll(
      Handle h, UUID orgId, SealedRows table, SecretBox from, SecretBox to) {
    int count = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<SealedRow> rows = table.page(h, orgId, after, BATCH);
      for (SealedRow row : rows) {
        String plaintext;
        try {
          plaintext = from.open(orgId, row.keyVersion(), row.ciphertext(), row.associatedData());
        } catch (IllegalStateException e) {
          throw new IllegalStateException(
              "SYNTRA_MASTER_KEY_PREVIOUS does not open the "
                  + table.kind()
                  + " row "
                  + row.id()
                  + " of organization "
                  + orgId
                  + "; nothing was re-sealed");
        }
        byte[] sealed = to.seal(orgId, row.keyVersion(), plaintext, row.associatedData());
        table.replace(h, orgId, row.id(), sealed, row.keyVersion());
        count++;
      }
      if (rows.size() < BATCH) {
        return count;
      }
      after = rows.getLast().id();
    }
  }

  /** {@code SYNTRA_MASTER_KEY_PREVIOUS}, when set. */
  static Optional<MasterKey> previous(@Nullable String configured) {
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(MasterKey.parse(configured, "SYNTRA_MASTER_KEY_PREVIOUS"));
  }
}
