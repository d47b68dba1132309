package dev.syntra.server.audit;

import dev.syntra.server.auth.Caller;
import dev.syntra.server.db.Ids;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records who did what to which target, from where, in the same transaction as the change itself
 * (so a change is never without its entry). The table is append-only for the application role.
 * Details never contain secret values.
 */
public final class AuditLog {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AuditLog() {}

  /**
   * @param action dotted verb, e.g. {@code project.created}, {@code env.revealed}
   * @param targetType kind of target, e.g. {@code project}
   * @param targetId the target's id, or null
   * @param details extra facts (names, changed fields), never secret values
   */
  public static void record(
      Handle handle,
      Caller caller,
      String action,
      String targetType,
      @Nullable Object targetId,
      Map<String, ?> details) {
    record(
        handle,
        caller.orgId(),
        caller.userId(),
        caller.tokenId(),
        caller.ip(),
        action,
        targetType,
        targetId,
        details);
  }

  /** For changes made by the system itself (bootstrap, background jobs): no token, no address. */
  public static void record(
      Handle handle,
      UUID orgId,
      @Nullable UUID userId,
      @Nullable UUID tokenId,
      @Nullable String ip,
      String action,
      String targetType,
      @Nullable Object targetId,
      Map<String, ?> details) {
    handle
        .createUpdate(
            "INSERT INTO audit_log (id, org_id, actor_user_id, actor_token_id, action, target_type,"
                + " target_id, ip, details) VALUES (:id, :org, :user, :token, :action, :type,"
                + " :target, :ip, CAST(:details AS jsonb))")
        .bind("id", Ids.next())
        .bind("org", orgId)
        .bind("user", userId)
        .bind("token", tokenId)
        .bind("action", action)
        .bind("type", targetType)
        .bind("target", targetId == null ? null : targetId.toString())
        .bind("ip", ip)
        .bind("details", JSON.writeValueAsString(details))
        .execute();
  }
}
