package dev.syntra.server.auth;

import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** API token rows, never their hashes. Every query names the organization; RLS enforces it too. */
@Component
class Tokens {
  private static final String COLUMNS =
      "id, org_id, user_id, name, scopes, created_at, last_used_at, expires_at, revoked_at";

  Optional<TokenView> find(Handle h, UUID orgId, UUID id, Instant now) {
    return h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs, now))
        .findOne();
  }

  /** Tokens of the organization by id; only {@code userId}'s when it is given. */
  List<TokenView> list(
      Handle h, UUID orgId, @Nullable UUID userId, Page.Request page, Instant now) {
    Query query =
        h.createQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM api_tokens WHERE org_id = :org AND id > :after"
                    + (userId == null ? "" : " AND user_id = :user")
                    + " ORDER BY id LIMIT :limit")
            .bind("org", orgId)
            .bind("after", page.afterOrStart())
            .bind("limit", page.fetchSize());
    if (userId != null) {
      query.bind("user", userId);
    }
    return query.map((rs, ctx) -> read(rs, now)).list();
  }

  void revoke(Handle h, UUID orgId, UUID id, Instant now) {
    h.createUpdate(
            "UPDATE api_tokens SET revoked_at = :now"
                + " WHERE org_id = :org AND id = :id AND revoked_at IS NULL")
        .bind("now", now)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  static String status(@Nullable Instant expiresAt, @Nullable Instant revokedAt, Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    return expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active";
  }

  private static TokenView read(ResultSet rs, Instant now) throws SQLException {
    Array array = rs.getArray("scopes");
    List<String> scopes =
        Arrays.stream((Object[]) array.getArray()).map(String::valueOf).sorted().toList();
    Instant expires = Rows.instant(rs.getTimestamp("expires_at"));
    Instant revoked = Rows.instant(rs.getTimestamp("revoked_at"));
    return new TokenView(
        rs.getObject("id", UUID.class),
        rs.getObject("org_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("name"),
        scopes,
        status(expires, revoked, now),
        rs.getTimestamp("created_at").toInstant(),
        Rows.instant(rs.getTimestamp("last_used_at")),
        expires,
        revoked);
  }
}
