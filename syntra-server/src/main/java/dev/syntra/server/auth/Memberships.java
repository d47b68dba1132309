package dev.syntra.server.auth;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Who is a member where, with which role: what access checks need of memberships, which the {@code
 * org} package owns and implements this for. Runs in the caller's transaction.
 */
public interface Memberships {

  /** The user's role in the organization, empty when they are not a member. */
  Optional<Role> orgRole(Handle h, UUID orgId, UUID userId);

  /** The user's role override in one project, or null when they have none. */
  @Nullable Role projectRole(Handle h, UUID projectId, UUID userId);
}
