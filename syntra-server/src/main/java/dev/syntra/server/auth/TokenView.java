package dev.syntra.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An API token as the API shows it: never its value or hash.
 *
 * @param userId whose token it is
 * @param status active, revoked or expired, as of the request
 */
public record TokenView(
    UUID id,
    UUID orgId,
    UUID userId,
    String name,
    List<String> scopes,
    String status,
    Instant createdAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt) {

  public TokenView {
    scopes = List.copyOf(scopes);
  }
}
