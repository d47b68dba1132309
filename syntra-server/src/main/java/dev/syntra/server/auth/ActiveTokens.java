package dev.syntra.server.auth;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/**
 * Whether an API token still authenticates, for work that outlives the request that authenticated
 * it (an open event stream): the same rules as {@link TokenAuthFilter}, by token id.
 */
@Component
public final class ActiveTokens {
  private final Memberships memberships;

  ActiveTokens(Memberships memberships) {
    this.memberships = memberships;
  }

  /**
   * True while the token of {@code tokenId} is not revoked, not expired at {@code now}, and its
   * user is still a member of {@code orgId}. Runs in the caller's transaction ({@code orgId}'s
   * context).
   */
  public boolean isActive(Handle h, UUID orgId, UUID tokenId, Instant now) {
    return h.createQuery(
            "SELECT user_id FROM api_tokens"
                + " WHERE org_id = :org AND id = :id AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > :now)")
        .bind("org", orgId)
        .bind("id", tokenId)
        .bind("now", now)
        .mapTo(UUID.class)
        .findOne()
        .filter(userId -> memberships.orgRole(h, orgId, userId).isPresent())
        .isPresent();
  }
}
