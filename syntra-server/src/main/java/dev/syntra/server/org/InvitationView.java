package dev.syntra.server.org;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An invitation as the API shows it; never its token or hash.
 *
 * @param role admin, developer or viewer
 * @param status pending, accepted, revoked or expired, as of the request
 * @param invitedBy the user who made it
 */
public record InvitationView(
    UUID id,
    String email,
    String role,
    String status,
    UUID invitedBy,
    Instant expiresAt,
    @Nullable Instant acceptedAt,
    @Nullable Instant revokedAt,
    Instant createdAt) {}
