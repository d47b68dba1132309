package dev.syntra.server.deploy;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Deployment rows and their events. Every query names the organization; RLS enforces it too.
 * Writers lock the deployment row ({@link #lock}) before changing it or appending an event, so
 * concurrent reports and API calls apply one after the other and events stay in commit order.
 */
@Component
class Deployments {
  /** Greater than every UUID: the bound before the first page of a newest-first list. */
  private static final UUID END = new UUID(-1L, -1L);

  /** Most events one read returns. */
  static final int EVENT_PAGE = 1000;

  /** Longest event or error message kept; agents' messages are notes, not logs. */
  static final int MAX_MESSAGE_CHARS = 2000;

  private static final String COLUMNS =
      "d.id, d.service_id, d.status, d.phase, d.image, d.image_digest, d.strategy, d.replicas,"
          + " d.server_id, d.trigger_type, d.triggered_by, d.rollback_of, d.error_code,"
          + " d.error_message, d.queued_at, d.started_at, d.finished_at, d.deploy_duration_ms,"
          + " d.created_at, (d.status = 'running' AND d.id = (SELECT c.id FROM deployments c"
          + " WHERE c.service_id = d.service_id AND c.status = 'running'"
          + " ORDER BY c.finished_at DESC NULLS LAST, c.id DESC LIMIT 1)) AS current";

  /** What a new deployment row holds. */
  record NewDeployment(
      UUID id,
      UUID serviceId,
      UUID serverId,
      String image,
      @Nullable String imageDigest,
      String strategy,
      int replicas,
      String triggerType,
      @Nullable UUID triggeredBy,
      @Nullable UUID rollbackOf) {}

  /** The changing part of a deployment, read under its row lock. */
  record State(
      UUID id,
      UUID serviceId,
      String status,
      @Nullable String phase,
      @Nullable UUID serverId,
      @Nullable String image,
      @Nullable Instant startedAt) {
    boolean isTerminal() {
      return DeploymentView.isTerminal(status);
    }
  }

  DeploymentView require(Handle h, UUID orgId, UUID id) {
    return find(h, orgId, id).orElseThrow(() -> ApiException.notFound("deployment"));
  }

  Optional<DeploymentView> find(Handle h, UUID orgId, UUID id) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM deployments d WHERE d.org_id = :org AND d.id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  /** The deployment with its events. */
  DeploymentView requireWithEvents(Handle h, UUID orgId, UUID id) {
    return require(h, orgId, id).withEvents(events(h, orgId, id, 0));
  }

  /**
   * A service's deployments, newest first: the cursor is the last (oldest) id of the previous page
   * and the next page holds the ids below it.
   */
  List<DeploymentView> listNewestFirst(Handle h, UUID orgId, UUID serviceId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM deployments d WHERE d.org_id = :org AND d.service_id = :service"
                + " AND d.id < :before ORDER BY d.id DESC LIMIT :limit")
        .bind("org", orgId)
        .bind("service", serviceId)
        .bind("before", page.after() == null ? END : page.after())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /**
   * The service's deployments that reached running (the current one and those it superseded), most
   * recent first, at most {@code limit}.
   */
  List<DeploymentView> succeeded(Handle h, UUID orgId, UUID serviceId, int limit) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM deployments d WHERE d.org_id = :org AND d.service_id = :service"
                + " AND d.status IN ('running', 'superseded')"
                + " ORDER BY d.finished_at DESC NULLS LAST, d.id DESC"
                + " LIMIT :limit")
        .bind("org", orgId)
        .bind("service", serviceId)
        .bind("limit", limit)
        .map((rs, ctx) -> read(rs))
        .list();
  }

  void insert(Handle h, UUID orgId, NewDeployment d) {
    h.createUpdate(
            "INSERT INTO deployments (id, org_id, service_id, server_id, status, image,"
                + " image_digest, strategy, replicas, trigger_type, triggered_by, rollback_of)"
                + " VALUES (:id, :org, :service, :server, 'queued', :image, :digest, :strategy,"
                + " :replicas, :trigger, :by, :rollback_of)")
        .bind("id", d.id())
        .bind("org", orgId)
        .bind("service", d.serviceId())
        .bind("server", d.serverId())
        .bind("image", d.image())
        .bind("digest", d.imageDigest())
        .bind("strategy", d.strategy())
        .bind("replicas", d.replicas())
        .bind("trigger", d.triggerType())
        .bind("by", d.triggeredBy())
        .bind("rollback_of", d.rollbackOf())
        .execute();
  }

  /** Locks the deployment row for this transaction and reads its state. */
  Optional<State> lock(Handle h, UUID orgId, UUID id) {
    return h.createQuery(
            "SELECT id, service_id, status, phase, server_id, image, started_at FROM deployments"
                + " WHERE org_id = :org AND id = :id FOR UPDATE")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) ->
            new State(
                rs.getObject("id", UUID.class),
                rs.getObject("service_id", UUID.class),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getObject("server_id", UUID.class),
                rs.getString("image"),
                Rows.instant(rs.getTimestamp("started_at"))))
        .findOne();
  }

  /** A non-terminal change: the status (deploying) and phase, and when it started. */
  void progress(Handle h, UUID orgId, UUID id, String status, @Nullable String phase, Instant now) {
    h.createUpdate(
            "UPDATE deployments SET status = :status, phase = COALESCE(:phase, phase),"
                + " started_at = COALESCE(started_at, :now) WHERE org_id = :org AND id = :id")
        .bind("status", status)
        .bind("phase", phase)
        .bind("now", now)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  /** The terminal change: status, phase, error and durations. */
  void finish(
      Handle h,
      UUID orgId,
      State state,
      String status,
      @Nullable String phase,
      @Nullable String errorCode,
      @Nullable String errorMessage,
      Instant now) {
    Long duration =
        state.startedAt() == null ? null : Duration.between(state.startedAt(), now).toMillis();
    h.createUpdate(
            "UPDATE deployments SET status = :status, phase = COALESCE(:phase, phase),"
                + " error_code = :code, error_message = :message, finished_at = :now,"
                + " started_at = COALESCE(started_at, :started), deploy_duration_ms = :duration"
                + " WHERE org_id = :org AND id = :id")
        .bind("status", status)
        .bind("phase", phase)
        .bind("code", errorCode)
        .bind("message", errorMessage == null ? null : clip(errorMessage))
        .bind("now", now)
        .bind("started", status.equals("cancelled") ? null : now)
        .bind("duration", status.equals("cancelled") ? null : duration == null ? 0L : duration)
        .bind("org", orgId)
        .bind("id", state.id())
        .execute();
  }

  /**
   * Marks {@code superseded} every other deployment of the service still {@code running}: the one
   * that has just reached running replaces them. Returns the ids it marked.
   */
  List<UUID> supersedeOthers(Handle h, UUID orgId, UUID serviceId, UUID current) {
    return h.createUpdate(
            "UPDATE deployments SET status = 'superseded' WHERE org_id = :org"
                + " AND service_id = :service AND status = 'running' AND id <> :current")
        .bind("org", orgId)
        .bind("service", serviceId)
        .bind("current", current)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(UUID.class)
        .list();
  }

  /** Appends an event; call with the deployment row locked. */
  void appendEvent(
      Handle h,
      UUID orgId,
      UUID deploymentId,
      String status,
      @Nullable String phase,
      String message,
      @Nullable String errorCode,
      Instant at) {
    h.createUpdate(
            "INSERT INTO deployment_events (id, org_id, deployment_id, status, phase, message,"
                + " error_code, at) VALUES (:id, :org, :deployment, :status, :phase, :message,"
                + " :code, :at)")
        .bind("id", Ids.next())
        .bind("org", orgId)
        .bind("deployment", deploymentId)
        .bind("status", status)
        .bind("phase", phase)
        .bind("message", clip(message))
        .bind("code", errorCode)
        .bind("at", at)
        .execute();
  }

  /** The deployment's events after {@code afterSeq} (0 for all), oldest first. */
  List<DeploymentEventView> events(Handle h, UUID orgId, UUID deploymentId, long afterSeq) {
    return h.createQuery(
            "SELECT seq, deployment_id, status, phase, message, error_code, at"
                + " FROM deployment_events WHERE org_id = :org AND deployment_id = :deployment"
                + " AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("org", orgId)
        .bind("deployment", deploymentId)
        .bind("after", afterSeq)
        .bind("limit", EVENT_PAGE)
        .map((rs, ctx) ->
            new DeploymentEventView(
                rs.getLong("seq"),
                rs.getObject("deployment_id", UUID.class),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getString("message"),
                rs.getString("error_code"),
                rs.getTimestamp("at").toInstant()))
        .list();
  }

  /** The status of a deployment, or empty when it does not exist (any more). */
  Optional<String> status(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT status FROM deployments WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  static String clip(String message) {
    return message.length() <= MAX_MESSAGE_CHARS
        ? message
        : message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
  }

  private static DeploymentView read(ResultSet rs) throws SQLException {
    Instant queued = rs.getTimestamp("queued_at").toInstant();
    Instant finished = Rows.instant(rs.getTimestamp("finished_at"));
    return new DeploymentView(
        rs.getObject("id", UUID.class),
        rs.getObject("service_id", UUID.class),
        rs.getString("status"),
        rs.getString("phase"),
        rs.getString("image"),
        rs.getString("image_digest"),
        rs.getString("strategy"),
        rs.getObject("replicas", Integer.class),
        rs.getObject("server_id", UUID.class),
        rs.getString("trigger_type"),
        rs.getObject("triggered_by", UUID.class),
        rs.getObject("rollback_of", UUID.class),
        rs.getString("error_code"),
        rs.getString("error_message"),
        queued,
        Rows.instant(rs.getTimestamp("started_at")),
        finished,
        rs.getObject("deploy_duration_ms", Long.class),
        finished == null ? null : Duration.between(queued, finished).toMillis(),
        rs.getBoolean("current"),
        rs.getTimestamp("created_at").toInstant(),
        null);
  }
}
