package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.auth.Caller;
import java.util.UUID;

/**
 * A token acts in exactly one organization: an organization id in a path must be that one. Any
 * other id, even of an organization the user also belongs to, answers 404 so ids are never
 * confirmed.
 */
final class OwnOrganization {
  private OwnOrganization() {}

  static void require(Caller caller, UUID orgId) {
    if (!caller.orgId().equals(orgId)) {
      throw ApiException.notFound("organization");
    }
  }
}
