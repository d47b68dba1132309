package dev.syntra.server.auth;

import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.db.Ids;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Creates API tokens: stores only the hash, returns the token once. */
public final class TokenIssuer {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new token: its id and the only copy of its secret value. */
  public record Issued(UUID id, String token) {
    @Override
    public String toString() {
      return "Issued[id=" + id + ", token=***]";
    }
  }

  private TokenIssuer() {}

  /**
   * When the calling token expires (null: never), read in the caller's organization. A token issued
   * on the caller's behalf must not outlive it, or a short-lived token would mint permanent ones.
   */
  public static @Nullable Instant expiryOf(Handle handle, Caller caller) {
    return handle
        .createQuery("SELECT expires_at FROM api_tokens WHERE org_id = :org AND id = :id")
        .bind("org", caller.orgId())
        .bind("id", caller.tokenId())
        .mapTo(Instant.class)
        .findOne()
        .orElse(null);
  }

  /** Inserts a token for {@code userId} in {@code orgId}; runs in that organization's context. */
  public static Issued issue(
      Handle handle,
      UUID orgId,
      UUID userId,
      String name,
      Set<Scope> scopes,
      @Nullable Instant expiresAt,
      @Nullable String presetToken) {
    String token = presetToken != null ? presetToken : ApiTokens.FORMAT.generate(RANDOM);
    UUID id = Ids.next();
    handle
        .createUpdate(
            "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, scopes, expires_at)"
                + " VALUES (:id, :org, :user, :name, :hash, :scopes, :expires)")
        .bind("id", id)
        .bind("org", orgId)
        .bind("user", userId)
        .bind("name", name)
        .bind("hash", TokenHash.of(token).value())
        .bind("scopes", scopes.stream().map(Scope::wireName).sorted().toArray(String[]::new))
        .bind("expires", expiresAt)
        .execute();
    return new Issued(id, token);
  }
}
