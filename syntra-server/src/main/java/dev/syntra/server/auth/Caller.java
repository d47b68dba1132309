package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the authenticated token, its user, its organization (every request acts in
 * exactly one), the scopes of the token and the user's role there.
 *
 * @param plan the organization's plan, for rate limits
 * @param ip the client address, for the audit log
 */
public record Caller(
    UUID tokenId, UUID userId, UUID orgId, Set<Scope> scopes, Role role, String plan, String ip) {

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** Throws 403 unless the token's scopes and the user's role both allow {@code permission}. */
  public void require(Permission permission) {
    require(permission, null);
  }

  /**
   * As {@link #require(Permission)}, with the role overridden for one project (org owners and
   * admins keep theirs).
   */
  public void require(Permission permission, @Nullable Role projectRole) {
    if (scopes.stream().noneMatch(scope -> scope.implies(permission.scope()))) {
      throw ApiException.forbidden(
          "this token lacks the '" + permission.scope().wireName() + "' scope");
    }
    Role effective = effectiveRole(projectRole);
    if (!effective.atLeast(permission.minimumRole())) {
      throw ApiException.forbidden(
          "this needs the "
              + permission.minimumRole().wireName()
              + " role; you are "
              + effective.wireName());
    }
  }

  public boolean allows(Permission permission) {
    try {
      require(permission);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  private Role effectiveRole(@Nullable Role projectRole) {
    if (projectRole == null || role.atLeast(Role.ADMIN)) {
      return role;
    }
    return projectRole;
  }
}
