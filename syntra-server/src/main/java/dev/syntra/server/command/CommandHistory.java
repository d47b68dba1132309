package dev.syntra.server.command;

import dev.syntra.server.api.Page;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** What the API shows of queued commands: status and the agent's answer, never the payload. */
@Component
public class CommandHistory {
  /** Greater than every UUID: the bound before the first page of a newest-first list. */
  private static final UUID END = new UUID(-1L, -1L);

  private static final String COLUMNS =
      "id, type, status, deployment_id, error_code, error_message, created_at, sent_at,"
          + " finished_at";

  /** The commands queued for {@code serviceId}, newest first. */
  public Page<CommandView> ofService(Handle h, UUID orgId, UUID serviceId, Page.Request page) {
    List<CommandView> rows =
        h.createQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM agent_commands WHERE org_id = :org AND service_id = :service"
                    + " AND id < :before ORDER BY id DESC LIMIT :limit")
            .bind("org", orgId)
            .bind("service", serviceId)
            .bind("before", page.after() == null ? END : page.after())
            .bind("limit", page.fetchSize())
            .map((rs, ctx) -> read(rs))
            .list();
    return Page.of(rows, page, CommandView::id);
  }

  /** One command of the organization. */
  public CommandView require(Handle h, UUID orgId, UUID id) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM agent_commands WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .one();
  }

  /** The deployment {@code commandId} was queued for, if any. */
  public Optional<UUID> deploymentOf(Handle h, UUID commandId) {
    return h.createQuery("SELECT deployment_id FROM agent_commands WHERE id = :id")
        .bind("id", commandId)
        .mapTo(UUID.class)
        .findOne();
  }

  /** The ids of the commands queued for {@code deploymentId}. */
  public List<UUID> ofDeployment(Handle h, UUID orgId, UUID deploymentId) {
    return h.createQuery(
            "SELECT id FROM agent_commands WHERE org_id = :org AND deployment_id = :deployment")
        .bind("org", orgId)
        .bind("deployment", deploymentId)
        .mapTo(UUID.class)
        .list();
  }

  private static CommandView read(ResultSet rs) throws SQLException {
    return new CommandView(
        rs.getObject("id", UUID.class),
        rs.getString("type"),
        rs.getString("status"),
        rs.getObject("deployment_id", UUID.class),
        rs.getString("error_code"),
        rs.getString("error_message"),
        rs.getTimestamp("created_at").toInstant(),
        Rows.instant(rs.getTimestamp("sent_at")),
        Rows.instant(rs.getTimestamp("finished_at")));
  }
}
