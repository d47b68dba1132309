package dev.syntra.server.telemetry;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.FrameHeader;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.fleet.AgentRef;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The table {@code telemetry_batches}: every telemetry batch the hub has durably received, as the
 * frame came (header and zstd payload), attributed to the sending agent's server and organization.
 * The interim store until the real telemetry stores land; they read it in order with {@link #list}.
 * Thread-safe.
 */
@Component
public class TelemetryBatches {
  private static final int DELETE_BATCH = 1000;

  private final Tenancy tenancy;
  private final TelemetryFrameCodec codec = TelemetryFrameCodec.create();

  TelemetryBatches(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  /** Whether {@code org} already has a committed batch with this id. */
  public boolean exists(UUID orgId, BatchId batchId) {
    return tenancy.inOrg(
        orgId,
        null,
        h ->
            h.createQuery(
                    "SELECT EXISTS (SELECT 1 FROM telemetry_batches"
                        + " WHERE org_id = :org AND batch_id = :id)")
                .bind("org", orgId)
                .bind("id", uuid(batchId))
                .mapTo(Boolean.class)
                .one());
  }

  /**
   * Stores {@code frame} for {@code agent} and commits. Returns false, storing nothing, if the
   * organization already has this batch id (also when another instance stored it a moment ago: the
   * insert waits for that transaction and then finds the row).
   */
  public boolean insert(AgentRef agent, FrameHeader header, byte[] frame) {
    int inserted =
        tenancy.inOrg(
            agent.orgId(),
            null,
            h ->
                h.createUpdate(
                        "INSERT INTO telemetry_batches (org_id, batch_id, server_id, span_count,"
                            + " log_record_count, metric_point_count, frame)"
                            + " VALUES (:org, :id, :server, :spans, :logs, :points, :frame)"
                            + " ON CONFLICT (org_id, batch_id) DO NOTHING")
                    .bind("org", agent.orgId())
                    .bind("id", uuid(header.batchId()))
                    .bind("server", agent.serverId())
                    .bind("spans", header.counts().spans())
                    .bind("logs", header.counts().logRecords())
                    .bind("points", header.counts().metricPoints())
                    .bind("frame", frame)
                    .execute());
    return inserted == 1;
  }

  /**
   * Up to {@code limit} batches of {@code orgId} received after {@code afterCursor} (0 or less
   * starts at the oldest), oldest first, decoded.
   *
   * <p>Cursors follow insertion, not commit: a reader polling while agents send can in rare cases
   * see a later cursor committed before an earlier one. The next issue's consumer must allow for
   * that (e.g. read up to a short time in the past).
   */
  public List<StoredBatch> list(UUID orgId, long afterCursor, int limit) {
    return tenancy.inOrg(
        orgId,
        null,
        h ->
            h.createQuery(
                    "SELECT seq, org_id, server_id, received_at, frame FROM telemetry_batches"
                        + " WHERE org_id = :org AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("org", orgId)
                .bind("after", afterCursor)
                .bind("limit", Math.clamp(limit, 1, 1000))
                .map((rs, ctx) ->
                    new StoredBatch(
                        rs.getLong("seq"),
                        rs.getObject("org_id", UUID.class),
                        rs.getObject("server_id", UUID.class),
                        rs.getTimestamp("received_at").toInstant(),
                        codec.decode(rs.getBytes("frame"))))
                .list());
  }

  /** Deletes batches received before {@code cutoff}, in every organization; returns how many. */
  public int deleteReceivedBefore(Instant cutoff) {
    int total = 0;
    while (true) {
      int deleted =
          tenancy.withoutOrg(
              null,
              h ->
                  h.createQuery("SELECT syntra_delete_telemetry_batches(:before, :limit)")
                      .bind("before", cutoff)
                      .bind("limit", DELETE_BATCH)
                      .mapTo(Integer.class)
                      .one());
      total += deleted;
      if (deleted < DELETE_BATCH) {
        return total;
      }
    }
  }

  static UUID uuid(BatchId id) {
    return new UUID(id.high(), id.low());
  }
}
