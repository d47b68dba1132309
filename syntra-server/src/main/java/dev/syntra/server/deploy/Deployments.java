package dev.syntra.server.deploy;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** Deployment rows, read only here. Every query names the organization; RLS enforces it too. */
@Component
class Deployments {
  /** Greater than every UUID: the bound before the first page of a newest-first list. */
  private static final UUID END = new UUID(-1L, -1L);

  private static final String COLUMNS =
      "id, service_id, status, image, image_digest, strategy, trigger_type, triggered_by,"
          + " error_message, queued_at, started_at, finished_at, deploy_duration_ms, created_at";

  DeploymentView require(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM deployments WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("deployment"));
  }

  /**
   * A service's deployments, newest first: the cursor is the last (oldest) id of the previous page
   * and the next page holds the ids below it.
   */
  List<DeploymentView> listNewestFirst(Handle h, UUID orgId, UUID serviceId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM deployments WHERE org_id = :org AND service_id = :service"
                + " AND id < :before ORDER BY id DESC LIMIT :limit")
        .bind("org", orgId)
        .bind("service", serviceId)
        .bind("before", page.after() == null ? END : page.after())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  private static DeploymentView read(ResultSet rs) throws SQLException {
    Instant queued = rs.getTimestamp("queued_at").toInstant();
    Instant finished = Rows.instant(rs.getTimestamp("finished_at"));
    return new DeploymentView(
        rs.getObject("id", UUID.class),
        rs.getObject("service_id", UUID.class),
        rs.getString("status"),
        rs.getString("image"),
        rs.getString("image_digest"),
        rs.getString("strategy"),
        rs.getString("trigger_type"),
        rs.getObject("triggered_by", UUID.class),
        rs.getString("error_message"),
        queued,
        Rows.instant(rs.getTimestamp("started_at")),
        finished,
        rs.getObject("deploy_duration_ms", Long.class),
        finished == null ? null : Duration.between(queued, finished).toMillis(),
        rs.getTimestamp("created_at").toInstant());
  }
}
