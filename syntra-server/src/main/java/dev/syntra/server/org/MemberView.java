package dev.syntra.server.org;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member of an organization as the API shows it.
 *
 * @param role owner, admin, developer or viewer
 * @param invitedAt when the accepted invitation was made; null for founders
 */
public record MemberView(
    UUID userId,
    String email,
    String name,
    String role,
    @Nullable Instant invitedAt,
    Instant acceptedAt) {

  /** The webhook payload of member events. */
  Map<String, Object> event() {
    return Map.of("user_id", userId.toString(), "role", role);
  }
}
