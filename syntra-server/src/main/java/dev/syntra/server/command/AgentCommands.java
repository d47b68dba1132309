package dev.syntra.server.command;

import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.security.SecureIds;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.crypto.KeyVersions;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Ids;
import dev.syntra.server.fleet.ServerRemoval;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The durable command queue to agents. {@link #enqueue} writes a command in the caller's
 * transaction; after that transaction commits the caller calls {@link #wake} so a connected agent
 * gets it at once (the hub also polls, so a missed wake-up only delays delivery). A command stays
 * queued while the server's agent is offline and is delivered when it reconnects; it is redelivered
 * under the same envelope id until the agent answers, and the agent executes an id at most once.
 */
@Component
public class AgentCommands implements ServerRemoval.PendingCommands {
  private final SecretBox box;
  private final MessageCodec codec = MessageCodec.create(ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);
  private final Clock clock;
  private final List<Consumer<UUID>> wakeListeners = new CopyOnWriteArrayList<>();

  /** One bound end to end: what is queued here is what the hub carries and the agent decodes. */
  private static final int MAX_COMMAND_BYTES = ProtocolLimits.MAX_TEXT_MESSAGE_BYTES;

  /** {@code 2026-01-02T03:04:05.123456789Z}: the longest {@code ts} an envelope can carry. */
  static final int MAX_TIMESTAMP_CHARS = 30;

  public AgentCommands(SecretBox box, Clock clock) {
    this.box = box;
    this.clock = clock;
  }

  /**
   * Queues {@code command} for the agent of {@code serverId}, in the caller's transaction (which
   * must be in {@code orgId}'s context). Returns the command id, which is also the envelope id the
   * agent sees and the {@code reply_to} of its answers.
   */
  public UUID enqueue(
      Handle h, UUID orgId, UUID serverId, @Nullable UUID deploymentId, Command command) {
    return enqueue(h, orgId, serverId, null, deploymentId, command);
  }

  /**
   * As {@link #enqueue(Handle, UUID, UUID, UUID, Command)}, for a command about {@code serviceId}
   * (it shows in that service's command list).
   */
  public UUID enqueue(
      Handle h,
      UUID orgId,
      UUID serverId,
      @Nullable UUID serviceId,
      @Nullable UUID deploymentId,
      Command command) {
    UUID id = Ids.next(clock);
    int keyVersion = KeyVersions.currentForSealing(h, orgId);
    Envelope envelope =
        new Envelope(
            ProtocolVersion.JSON_MAJOR,
            id.toString(),
            clock.instant(),
            SecureIds.nonce(),
            null,
            command);
    String json = codec.encode(envelope);
    // An agent closes a link on a message over the frame limit; such a command could never arrive.
    // Delivery re-stamps the envelope: count its timestamp at its longest (nanosecond) form.
    int bytes =
        json.getBytes(StandardCharsets.UTF_8).length
            - DateTimeFormatter.ISO_INSTANT.format(envelope.ts()).length()
            + MAX_TIMESTAMP_CHARS;
    if (bytes > MAX_COMMAND_BYTES) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "command_too_large",
          "the "
              + command.type().wireName()
              + " command would be "
              + bytes
              + " bytes, more than the agent link's message limit of "
              + MAX_COMMAND_BYTES
              + " bytes (4 MiB; too many or too large env vars?)");
    }
    byte[] sealed = box.seal(orgId, keyVersion, json, AgentCommandSecrets.associatedData(id));
    h.createUpdate(
            "INSERT INTO agent_commands (id, org_id, server_id, service_id, deployment_id, type,"
                + " ciphertext, key_version) VALUES (:id, :org, :server, :service, :deployment,"
                + " :type, :ciphertext, :version)")
        .bind("id", id)
        .bind("org", orgId)
        .bind("server", serverId)
        .bind("service", serviceId)
        .bind("deployment", deploymentId)
        .bind("type", command.type().wireName())
        .bind("ciphertext", sealed)
        .bind("version", keyVersion)
        .execute();
    return id;
  }

  /**
   * Cancels a command that has not been sent yet. Returns false when it was already sent (or
   * finished): the agent may be executing it.
   */
  public boolean cancelQueued(Handle h, UUID commandId) {
    return h.createUpdate(
                "UPDATE agent_commands SET status = 'cancelled', finished_at = now()"
                    + " WHERE id = :id AND status = 'queued'")
            .bind("id", commandId)
            .execute()
        == 1;
  }

  /** Whether {@code serverId} has commands its agent has not answered yet (queued or sent). */
  @Override
  public boolean hasPending(Handle h, UUID serverId) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM agent_commands WHERE server_id = :server"
                + " AND status IN ('queued', 'sent'))")
        .bind("server", serverId)
        .mapTo(Boolean.class)
        .one();
  }

  /** Asks the hub to deliver queued commands of {@code serverId} now. Call after commit. */
  public void wake(UUID serverId) {
    wakeListeners.forEach(listener -> listener.accept(serverId));
  }

  public void onWake(Consumer<UUID> listener) {
    wakeListeners.add(listener);
  }
}
