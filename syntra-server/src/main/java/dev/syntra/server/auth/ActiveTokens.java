package dev.syntra.server.auth;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Whether an API token still authenticates, for work that outlives the request that authenticated
 * it (an open event stream): the same rules as {@link TokenAuthFilter}, by token id.
 */
public final class ActiveTokens {
  private ActiveTokens() {}

  /**
   * True while the token of {@code tokenId} is not revoked, not expired at {@code now}, and its
   * user is still a member of {@code orgId}. Runs in the caller's transaction ({@code orgId}'s
   * context).
   */
  public static boolean isActive(Handle h, UUID orgId, UUID tokenId, Instant now) {
    return h.createQuery(
            "SELECT 1 FROM api_tokens t"
                + " JOIN org_members m ON m.org_id = t.org_id AND m.user_id = t.user_id"
                + " WHERE t.org_id = :org AND t.id = :id AND t.revoked_at IS NULL"
                + " AND (t.expires_at IS NULL OR t.expires_at > :now)")
        .bind("org", orgId)
        .bind("id", tokenId)
        .bind("now", now)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }
}
