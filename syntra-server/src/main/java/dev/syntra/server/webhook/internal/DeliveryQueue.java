package dev.syntra.server.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The outbox as the dispatcher works it. A delivery is claimed by moving its {@code
 * next_attempt_at} to a lease deadline inside a {@code FOR UPDATE SKIP LOCKED} transaction, so
 * several server instances never take the same row, and no transaction stays open while an HTTP
 * request is in flight. The lease value is the claim's token: an attempt is recorded only if the
 * row still carries it. If an instance dies mid-delivery, the row becomes due again when the lease
 * ends (at-least-once delivery; receivers deduplicate by {@code webhook-id}).
 */
@Component
class DeliveryQueue {
  /** A delivery claimed for sending. */
  record Claim(
      UUID id,
      UUID webhookId,
      UUID eventId,
      String payload,
      int attempts,
      String url,
      byte[] sealedSecret,
      int keyVersion,
      Instant lease) {
    @Override
    public String toString() {
      return "Claim[id=" + id + ", webhook=" + webhookId + ", attempts=" + attempts + "]";
    }
  }

  /** What one attempt found. */
  record Attempt(
      Instant at,
      @Nullable Integer responseStatus,
      @Nullable String responseBody,
      @Nullable String error) {}

  /**
   * Claims up to {@code limit} due deliveries of active webhooks until {@code lease}. Due
   * deliveries of inactive webhooks are marked failed on the way (they can be retried later).
   */
  List<Claim> claim(Handle h, UUID orgId, Instant now, int limit, Instant lease) {
    List<UUID> inactive =
        h.createQuery(
                "SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                    + " WHERE d.org_id = :org AND w.org_id = :org AND d.status = 'pending'"
                    + " AND d.next_attempt_at <= :now AND NOT w.active"
                    + " LIMIT :limit FOR UPDATE OF d SKIP LOCKED")
            .bind("org", orgId)
            .bind("now", now)
            .bind("limit", limit)
            .mapTo(UUID.class)
            .list();
    if (!inactive.isEmpty()) {
      h.createUpdate(
              "UPDATE webhook_deliveries SET status = 'failed',"
                  + " last_error = 'the webhook is inactive' WHERE org_id = :org AND id = ANY(:ids)")
          .bind("org", orgId)
          .bind("ids", inactive.toArray(UUID[]::new))
          .execute();
    }
    List<Claim> claims =
        h.createQuery(
                "SELECT d.id, d.webhook_id, d.event_id, d.payload::text AS payload, d.attempts,"
                    + " w.url, w.secret_ciphertext, w.key_version"
                    + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                    + " WHERE d.org_id = :org AND w.org_id = :org AND d.status = 'pending'"
                    + " AND d.next_attempt_at <= :now AND w.active"
                    + " ORDER BY d.next_attempt_at, d.id LIMIT :limit FOR UPDATE OF d SKIP LOCKED")
            .bind("org", orgId)
            .bind("now", now)
            .bind("limit", limit)
            .map((rs, ctx) ->
                new Claim(
                    rs.getObject("id", UUID.class),
                    rs.getObject("webhook_id", UUID.class),
                    rs.getObject("event_id", UUID.class),
                    rs.getString("payload"),
                    rs.getInt("attempts"),
                    rs.getString("url"),
                    rs.getBytes("secret_ciphertext"),
                    rs.getInt("key_version"),
                    lease))
            .list();
    if (!claims.isEmpty()) {
      h.createUpdate(
              "UPDATE webhook_deliveries SET next_attempt_at = :lease"
                  + " WHERE org_id = :org AND id = ANY(:ids)")
          .bind("lease", lease)
          .bind("org", orgId)
          .bind("ids", claims.stream().map(Claim::id).toArray(UUID[]::new))
          .execute();
    }
    return claims;
  }

  /** Extends a claim just before its attempt; false if the row is no longer ours to send. */
  boolean renew(Handle h, UUID orgId, UUID id, Instant claimed, Instant lease) {
    return h.createUpdate(
                "UPDATE webhook_deliveries SET next_attempt_at = :lease WHERE org_id = :org"
                    + " AND id = :id AND status = 'pending' AND next_attempt_at = :claimed")
            .bind("lease", lease)
            .bind("org", orgId)
            .bind("id", id)
            .bind("claimed", claimed)
            .execute()
        == 1;
  }

  /**
   * Records an attempt and the delivery's new state: {@code succeeded}, {@code failed}, or {@code
   * pending} again until {@code nextAttemptAt}.
   */
  void record(
      Handle h,
      UUID orgId,
      UUID id,
      Instant lease,
      String status,
      Instant nextAttemptAt,
      Attempt attempt) {
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = :status, attempts = attempts + 1,"
                + " last_attempt_at = :at, next_attempt_at = :next,"
                + " response_status = :responseStatus, response_body = :responseBody,"
                + " last_error = :error"
                + " WHERE org_id = :org AND id = :id AND status = 'pending'"
                + " AND next_attempt_at = :lease")
        .bind("status", status)
        .bind("at", attempt.at())
        .bind("next", nextAttemptAt)
        .bind("responseStatus", attempt.responseStatus())
        .bind("responseBody", attempt.responseBody())
        .bind("error", attempt.error())
        .bind("org", orgId)
        .bind("id", id)
        .bind("lease", lease)
        .execute();
  }

  /** Gives a claim back unattempted (the dispatcher is stopping), due at {@code now}. */
  void release(Handle h, UUID orgId, UUID id, Instant lease, Instant now) {
    renew(h, orgId, id, lease, now);
  }
}
