package dev.syntra.server.deploy;

import dev.syntra.protocol.message.Command;
import dev.syntra.server.command.AgentCommands;
import dev.syntra.server.command.CommandHistory;
import java.util.List;
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
  private final CommandHistory history;

  CommandQueue(AgentCommands commands, CommandHistory history) {
    this.commands = commands;
    this.history = history;
  }

  /** Queues {@code command}; returns its id. */
  UUID send(
      Handle h, UUID orgId, DeployTarget target, @Nullable UUID deploymentId, Command command) {
    UUID id =
        commands.enqueue(h, orgId, target.serverId(), target.service().id(), deploymentId, command);
    UUID serverId = target.serverId();
    h.afterCommit(() -> commands.wake(serverId));
    return id;
  }

  /**
   * Cancels the commands of a deployment the hub has not sent yet; false when one was sent (or has
   * finished). True when the deployment has no command.
   */
  boolean cancelQueuedOf(Handle h, UUID orgId, UUID deploymentId) {
    List<UUID> ids = history.ofDeployment(h, orgId, deploymentId);
    boolean cancelled = false;
    for (UUID id : ids) {
      cancelled |= commands.cancelQueued(h, id);
    }
    return cancelled || ids.isEmpty();
  }
}
