package dev.syntra.server.crypto;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Which version of an organization's key secrets are sealed under. The version is the {@code
 * key_version} column of the organization's row; this class is the only code that reads or moves it
 * (the rest of that row belongs to the {@code org} package).
 */
public final class KeyVersions {
  private KeyVersions() {}

  /**
   * The organization's current key version, for sealing in the caller's transaction. The share lock
   * makes a concurrent key rotation (which locks the row {@code FOR NO KEY UPDATE}) wait for this
   * write, and this write for it, so no row is sealed under a version being retired.
   */
  public static int currentForSealing(Handle h, UUID orgId) {
    return h.createQuery("SELECT key_version FROM organizations WHERE id = :org FOR SHARE")
        .bind("org", orgId)
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Locks the organization's key version for a rotation and returns it; empty for an unknown
   * organization. NO KEY UPDATE waits for sealing writers (who hold FOR SHARE) without blocking
   * foreign-key checks of unrelated inserts.
   */
  public static Optional<Integer> lockForRotation(Handle h, UUID orgId) {
    return h.createQuery("SELECT key_version FROM organizations WHERE id = :org FOR NO KEY UPDATE")
        .bind("org", orgId)
        .mapTo(Integer.class)
        .findOne();
  }

  /** Sets the organization's key version; call after {@link #lockForRotation}. */
  public static void advance(Handle h, UUID orgId, int to) {
    h.createUpdate("UPDATE organizations SET key_version = :to WHERE id = :org")
        .bind("to", to)
        .bind("org", orgId)
        .execute();
  }
}
