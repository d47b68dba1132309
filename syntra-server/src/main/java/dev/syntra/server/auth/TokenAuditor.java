package dev.syntra.server.auth;

import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Records token changes in the audit log, in the caller's transaction. The audit package implements
 * it: it depends on this package (for {@link Caller}), so this package must not depend on it.
 */
public interface TokenAuditor {
  /**
   * @param orgId the organization the token belongs to (not necessarily the caller's)
   * @param action {@code token.created} or {@code token.revoked}
   * @param details facts such as the name and scopes; never the token
   */
  void record(
      Handle handle,
      UUID orgId,
      Caller caller,
      String action,
      UUID tokenId,
      Map<String, ?> details);
}
