package dev.syntra.server.auth;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Revokes tokens for other packages (a removed member loses their tokens). */
public final class TokenRevocation {
  private TokenRevocation() {}

  /** Revokes every live token of {@code userId} in the organization; returns how many. */
  public static int revokeAllOf(Handle h, UUID orgId, UUID userId, Instant now) {
    return h.createUpdate(
            "UPDATE api_tokens SET revoked_at = :now"
                + " WHERE org_id = :org AND user_id = :user AND revoked_at IS NULL")
        .bind("now", now)
        .bind("org", orgId)
        .bind("user", userId)
        .execute();
  }
}
