package dev.syntra.server.crypto;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Which version of an organization's key new secrets are sealed under. */
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
}
