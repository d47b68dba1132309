package dev.syntra.server.org;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer to creating an organization: the organization and an owner API token for it, shown
 * once (the calling token keeps acting in its own organization only).
 */
public record CreatedOrganization(
    UUID id,
    String name,
    String slug,
    String plan,
    UUID ownerId,
    String role,
    Instant createdAt,
    UUID tokenId,
    String token) {

  static CreatedOrganization of(OrganizationView org, UUID tokenId, String token) {
    return new CreatedOrganization(
        org.id(),
        org.name(),
        org.slug(),
        org.plan(),
        org.ownerId(),
        org.role(),
        org.createdAt(),
        tokenId,
        token);
  }

  @Override
  public String toString() {
    return "CreatedOrganization[id=" + id + ", slug=" + slug + ", token=***]";
  }
}
