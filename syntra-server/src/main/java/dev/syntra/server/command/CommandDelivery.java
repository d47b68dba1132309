package dev.syntra.server.command;

import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.security.SecureIds;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.fleet.AgentRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The database side of commands: claiming queued (and, after a reconnect, unanswered) commands of a
 * server for sending, and recording what the agent answers, which it hands to every {@link
 * AgentReportListener} in the same transaction.
 */
@Component
public class CommandDelivery {
  private static final Logger log = LoggerFactory.getLogger(CommandDelivery.class);
  private static final int BATCH = 100;

  private record Row(UUID id, byte[] ciphertext, int keyVersion, int attempts) {}

  private record Target(String type, @Nullable UUID deploymentId) {}

  private final Tenancy tenancy;
  private final SecretBox box;
  private final Clock clock;
  private final List<AgentReportListener> listeners;
  private final MessageCodec codec = MessageCodec.create(ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);

  CommandDelivery(
      Tenancy tenancy, SecretBox box, Clock clock, List<AgentReportListener> listeners) {
    this.tenancy = tenancy;
    this.box = box;
    this.clock = clock;
    this.listeners = listeners;
  }

  /**
   * Marks up to 100 commands of the server as sent and returns their envelopes, oldest first, each
   * with a fresh {@code ts} and nonce (the id stays: the agent executes an id at most once, and
   * answers a repeat of a finished one from its journal). Queued commands, those sent more than
   * {@link #RESEND_AFTER} ago without an answer, and with {@code allUnanswered} (after a reconnect)
   * every unanswered one. A command sent {@link #MAX_ATTEMPTS} times without an answer fails.
   */
  public List<Envelope> claim(AgentRef ref, boolean allUnanswered) {
    return tenancy.inOrg(
        ref.orgId(),
        null,
        h -> {
          List<Row> rows =
              h.createQuery(
                      "SELECT id, ciphertext, key_version, attempts FROM agent_commands"
                          + " WHERE org_id = :org AND server_id = :server AND (status = 'queued'"
                          + " OR (status = 'sent' AND (:all OR sent_at < :resendBefore)))"
                          + " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
                  .bind("org", ref.orgId())
                  .bind("server", ref.serverId())
                  .bind("all", allUnanswered)
                  .bind("resendBefore", resendBefore())
                  .bind("limit", BATCH)
                  .map((rs, ctx) ->
                      new Row(
                          rs.getObject("id", UUID.class),
                          rs.getBytes("ciphertext"),
                          rs.getInt("key_version"),
                          rs.getInt("attempts")))
                  .list();
          List<Envelope> out = new ArrayList<>();
          for (Row row : rows) {
            if (row.attempts() >= MAX_ATTEMPTS) {
              finish(h, ref, row.id(), CommandResult.failed("internal", UNANSWERED));
              continue;
            }
            Optional<Envelope> envelope = open(ref, row);
            if (envelope.isPresent()) {
              out.add(envelope.get());
              h.createUpdate(
                      "UPDATE agent_commands SET status = 'sent', sent_at = now(),"
                          + " attempts = attempts + 1 WHERE org_id = :org AND id = :id")
                  .bind("org", ref.orgId())
                  .bind("id", row.id())
                  .execute();
            } else {
              finish(h, ref, row.id(), CommandResult.failed("internal", UNREADABLE));
            }
          }
          return out;
        });
  }

  /** Time after which an unanswered command is sent again on the live link. */
  public static final Duration RESEND_AFTER = Duration.ofMinutes(2);

  /** Deliveries without an answer after which a command fails (about an hour of resends). */
  public static final int MAX_ATTEMPTS = 30;

  private static final String UNANSWERED =
      "the agent never answered this command (sent "
          + MAX_ATTEMPTS
          + " times); it may not have run";

  private Instant resendBefore() {
    return clock.instant().minus(RESEND_AFTER);
  }

  private static final String UNREADABLE =
      "the queued command could not be decrypted (was the master key changed?); it was not sent";

  private Optional<Envelope> open(AgentRef ref, Row row) {
    try {
      String json =
          box.open(
              ref.orgId(),
              row.keyVersion(),
              row.ciphertext(),
              AgentCommandSecrets.associatedData(row.id()));
      Envelope stored = codec.decode(json);
      return Optional.of(
          new Envelope(
              stored.version(),
              stored.id(),
              clock.instant(),
              SecureIds.nonce(),
              null,
              stored.payload()));
    } catch (IllegalStateException | ProtocolException e) {
      log.error(
          "agent command {} of server {} is unreadable: {}",
          row.id(),
          ref.serverId(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Hands a {@code deploy_status} to the listeners, if it answers a command of this server. */
  public void deployStatus(AgentRef ref, UUID commandId, Instant enteredAt, DeployStatus status) {
    tenancy.inOrg(
        ref.orgId(),
        null,
        h -> {
          if (target(h, ref, commandId).isEmpty()) {
            log.warn(
                "server {}: deploy_status for unknown command {} dropped",
                ref.serverId(),
                commandId);
            return null;
          }
          listeners.forEach(l -> l.onDeployStatus(h, ref, commandId, enteredAt, status));
          return null;
        });
  }

  /**
   * Records the final answer to a command and hands it to the listeners. Answers to commands that
   * are unknown, of another server or already answered are dropped (returns false).
   */
  public boolean result(AgentRef ref, UUID commandId, CommandResult result) {
    return tenancy.inOrg(ref.orgId(), null, h -> finish(h, ref, commandId, result));
  }

  private boolean finish(Handle h, AgentRef ref, UUID commandId, CommandResult result) {
    CommandResult.Error error = result.error();
    Optional<Target> target =
        h.createQuery(
                "UPDATE agent_commands SET status = :status, error_code = :code,"
                    + " error_message = :message, finished_at = now()"
                    + " WHERE org_id = :org AND server_id = :server AND id = :id"
                    + " AND status IN ('queued', 'sent') RETURNING type, deployment_id")
            .bind("status", result.isOk() ? "succeeded" : "failed")
            .bind("code", error == null ? null : error.code())
            .bind("message", error == null ? null : bounded(error.message()))
            .bind("org", ref.orgId())
            .bind("server", ref.serverId())
            .bind("id", commandId)
            .map((rs, ctx) ->
                new Target(rs.getString("type"), rs.getObject("deployment_id", UUID.class)))
            .findOne();
    if (target.isEmpty()) {
      log.info(
          "server {}: result for unknown or already answered command {} ignored",
          ref.serverId(),
          commandId);
      return false;
    }
    listeners.forEach(l ->
        l.onCommandResult(
            h, ref, commandId, target.get().type(), target.get().deploymentId(), result));
    return true;
  }

  private Optional<Target> target(Handle h, AgentRef ref, UUID commandId) {
    return h.createQuery(
            "SELECT type, deployment_id FROM agent_commands"
                + " WHERE org_id = :org AND server_id = :server AND id = :id")
        .bind("org", ref.orgId())
        .bind("server", ref.serverId())
        .bind("id", commandId)
        .map((rs, ctx) ->
            new Target(rs.getString("type"), rs.getObject("deployment_id", UUID.class)))
        .findOne();
  }

  /** Servers among {@code connected} with queued commands. */
  public List<AgentRef> serversWithQueued(List<UUID> connected) {
    if (connected.isEmpty()) {
      return List.of();
    }
    return tenancy.withoutOrg(
        null,
        h ->
            h.createQuery(
                    "SELECT * FROM syntra_servers_with_pending_commands(:servers, :resendBefore)")
                .bindArray("servers", UUID.class, connected)
                .bind("resendBefore", resendBefore())
                .map((rs, ctx) ->
                    new AgentRef(
                        rs.getObject("org_id", UUID.class), rs.getObject("server_id", UUID.class)))
                .list());
  }

  private static String bounded(String message) {
    return message.length() <= 4000 ? message : message.substring(0, 4000) + "…";
  }
}
