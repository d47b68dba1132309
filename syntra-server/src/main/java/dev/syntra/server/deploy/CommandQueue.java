package dev.syntra.server.deploy;

import dev.syntra.protocol.message.Command;
import dev.syntra.server.command.AgentCommands;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Queues commands for a service's agent in the caller's transaction and wakes the hub once that
 * transaction has committed (a wake-up before the commit would find nothing to send).
 */
@Component
class CommandQueue {
  private final AgentCommands commands;

  CommandQueue(AgentCommands commands) {
    this.commands = commands;
  }

  /** Queues {@code command}; returns its id. */
  UUID send(
      Handle h, UUID orgId, DeployTarget target, @Nullable UUID deploymentId, Command command) {
    UUID id = commands.enqueue(h, orgId, target.serverId(), deploymentId, command);
    h.createUpdate("UPDATE agent_commands SET service_id = :service WHERE id = :id")
        .bind("service", target.service().id())
        .bind("id", id)
        .execute();
    UUID serverId = target.serverId();
    h.afterCommit(() -> commands.wake(serverId));
    return id;
  }

  /** Cancels a command the hub has not sent yet; false when it was sent (or has finished). */
  boolean cancelQueued(Handle h, UUID commandId) {
    return commands.cancelQueued(h, commandId);
  }
}
