package dev.syntra.server.audit;

import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.TokenAuditor;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Writes token changes to the audit log of the organization the token belongs to. */
@Component
class AuditLogTokenAuditor implements TokenAuditor {
  @Override
  public void record(
      Handle handle,
      UUID orgId,
      Caller caller,
      String action,
      UUID tokenId,
      Map<String, ?> details) {
    AuditLog.record(
        handle,
        orgId,
        caller.userId(),
        caller.tokenId(),
        caller.ip(),
        action,
        "token",
        tokenId,
        details);
  }
}
