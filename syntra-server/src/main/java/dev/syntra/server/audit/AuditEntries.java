package dev.syntra.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Reads the audit log in id (time) order, filtered. Writing is {@link AuditLog}'s job. */
@Component
class AuditEntries {
  private static final String COLUMNS =
      "id, actor_user_id, actor_token_id, action, target_type, target_id, ip, details::text,"
          + " created_at";

  private final JsonMapper json;

  AuditEntries(JsonMapper json) {
    this.json = json;
  }

  /**
   * Up to {@code limit} entries after {@code after} (exclusive) and up to {@code upTo} (inclusive,
   * when given), oldest first.
   */
  List<AuditEntry> list(
      Handle h, UUID orgId, AuditFilter filter, UUID after, @Nullable UUID upTo, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE org_id = :org")
            .append(" AND id > :after");
    append(sql, upTo != null, " AND id <= :upTo");
    append(sql, filter.action() != null, " AND action = :action");
    append(sql, filter.targetType() != null, " AND target_type = :targetType");
    append(sql, filter.targetId() != null, " AND target_id = :targetId");
    append(sql, filter.actorUserId() != null, " AND actor_user_id = :actor");
    append(sql, filter.since() != null, " AND created_at >= :since");
    append(sql, filter.until() != null, " AND created_at < :until");
    sql.append(" ORDER BY id LIMIT :limit");
    Query query =
        h.createQuery(sql.toString()).bind("org", orgId).bind("after", after).bind("limit", limit);
    bindIfPresent(query, "upTo", upTo);
    bindIfPresent(query, "action", filter.action());
    bindIfPresent(query, "targetType", filter.targetType());
    bindIfPresent(query, "targetId", filter.targetId());
    bindIfPresent(query, "actor", filter.actorUserId());
    bindIfPresent(query, "since", filter.since());
    bindIfPresent(query, "until", filter.until());
    return query.map((rs, ctx) -> read(rs)).list();
  }

  /** The newest entry's id now: an export stops there, however many entries arrive meanwhile. */
  Optional<UUID> newestId(Handle h, UUID orgId) {
    return h.createQuery("SELECT id FROM audit_log WHERE org_id = :org ORDER BY id DESC LIMIT 1")
        .bind("org", orgId)
        .mapTo(UUID.class)
        .findOne();
  }

  private static void append(StringBuilder sql, boolean condition, String clause) {
    if (condition) {
      sql.append(clause);
    }
  }

  private static void bindIfPresent(Query query, String name, @Nullable Object value) {
    if (value != null) {
      query.bind(name, value);
    }
  }

  private AuditEntry read(ResultSet rs) throws SQLException {
    String target = rs.getString("target_id");
    return new AuditEntry(
        rs.getObject("id", UUID.class),
        rs.getObject("actor_user_id", UUID.class),
        rs.getObject("actor_token_id", UUID.class),
        rs.getString("action"),
        rs.getString("target_type"),
        target,
        rs.getString("ip"),
        json.readTree(rs.getString("details")),
        rs.getTimestamp("created_at").toInstant());
  }
}
