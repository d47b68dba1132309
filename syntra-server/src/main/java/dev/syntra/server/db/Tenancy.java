package dev.syntra.server.db;

import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Runs database work in a transaction that states whose data it is. PostgreSQL row-level security
 * then hides every other organization's rows, so a query that forgets its {@code org_id} filter
 * still cannot leak. Repositories filter by organization too; the policies are the second wall.
 */
public final class Tenancy {
  /** Work done with a handle inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle);
  }

  private final Jdbi jdbi;

  Tenancy(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Work on one organization's data, on behalf of {@code userId} (null for system work). */
  public <T> T inOrg(UUID orgId, @Nullable UUID userId, Work<T> work) {
    return inContext(orgId, userId, work);
  }

  /** Work that sees no organization's rows: users, and the cross-tenant lookup functions. */
  public <T> T withoutOrg(@Nullable UUID userId, Work<T> work) {
    return inContext(null, userId, work);
  }

  private <T> T inContext(@Nullable UUID orgId, @Nullable UUID userId, Work<T> work) {
    return jdbi.inTransaction(handle -> {
      handle
          .createQuery(
              "SELECT set_config('syntra.org_id', :org, true) AS org,"
                  + " set_config('syntra.user_id', :user, true) AS usr")
          .bind("org", orgId == null ? "" : orgId.toString())
          .bind("user", userId == null ? "" : userId.toString())
          .mapToMap()
          .one();
      return work.run(handle);
    });
  }
}
