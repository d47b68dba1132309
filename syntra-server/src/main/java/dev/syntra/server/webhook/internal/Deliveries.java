package dev.syntra.server.webhook.internal;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The delivery log as the API reads and requeues it. The dispatcher uses {@link DeliveryQueue}. */
@Component
class Deliveries {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String COLUMNS =
      "id, webhook_id, event_id, event_type, status, attempts, response_status, response_body,"
          + " last_error, created_at, last_attempt_at, next_attempt_at, payload::text AS payload";

  DeliveryView require(Handle h, UUID orgId, UUID webhookId, UUID id) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_deliveries WHERE org_id = :org AND webhook_id = :webhook"
                + " AND id = :id")
        .bind("org", orgId)
        .bind("webhook", webhookId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("delivery"));
  }

  List<DeliveryView> list(Handle h, UUID orgId, UUID webhookId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_deliveries WHERE org_id = :org AND webhook_id = :webhook"
                + " AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("webhook", webhookId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Makes a failed delivery due again now; false if it is not failed (any more). */
  boolean requeue(Handle h, UUID orgId, UUID id, Instant now) {
    return h.createUpdate(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now"
                    + " WHERE org_id = :org AND id = :id AND status = 'failed'")
            .bind("now", now)
            .bind("org", orgId)
            .bind("id", id)
            .execute()
        == 1;
  }

  private static DeliveryView read(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    int responseStatus = rs.getInt("response_status");
    boolean noResponse = rs.wasNull();
    return new DeliveryView(
        rs.getObject("id", UUID.class),
        rs.getObject("webhook_id", UUID.class),
        rs.getObject("event_id", UUID.class),
        rs.getString("event_type"),
        status,
        rs.getInt("attempts"),
        noResponse ? null : responseStatus,
        rs.getString("response_body"),
        rs.getString("last_error"),
        rs.getTimestamp("created_at").toInstant(),
        Rows.instant(rs.getTimestamp("last_attempt_at")),
        status.equals("pending") ? Rows.instant(rs.getTimestamp("next_attempt_at")) : null,
        JSON.readTree(rs.getString("payload")));
  }
}
