package dev.syntra.server.org;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer to creating an organization: the organization and how to act in it. The token that
 * created it still acts in its own organization, so {@code nextStep} says how to make one for the
 * new organization.
 */
public record CreatedOrganization(
    UUID id,
    String name,
    String slug,
    String plan,
    UUID ownerId,
    String role,
    Instant createdAt,
    String nextStep) {

  static CreatedOrganization of(OrganizationView org) {
    return new CreatedOrganization(
        org.id(),
        org.name(),
        org.slug(),
        org.plan(),
        org.ownerId(),
        org.role(),
        org.createdAt(),
        "This token still acts in its own organization. Create a token for the new one with"
            + " POST /api/v1/tokens {\"name\": \"...\", \"org_id\": \""
            + org.id()
            + "\", \"scopes\": [\"admin\"]}.");
  }
}
