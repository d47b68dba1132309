package dev.syntra.server.org;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization as the API shows it, with the calling user's role in it.
 *
 * @param plan set by the server operator, never through the API
 * @param ownerId the primary owner; always a member with the owner role
 * @param role the calling user's role: owner, admin, developer or viewer
 */
public record OrganizationView(
    UUID id, String name, String slug, String plan, UUID ownerId, String role, Instant createdAt) {}
