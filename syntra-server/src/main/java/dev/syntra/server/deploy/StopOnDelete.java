package dev.syntra.server.deploy;

import dev.syntra.protocol.message.StopCommand;
import dev.syntra.server.command.AgentCommands;
import dev.syntra.server.fleet.Fleet;
import dev.syntra.server.service.ServiceDeletionListener;
import dev.syntra.server.service.ServiceView;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/**
 * A deleted service must not keep running on its server: its agent gets a stop, queued in the
 * deleting transaction and delivered when the agent is connected (the command outlives the service
 * row).
 */
@Component
class StopOnDelete implements ServiceDeletionListener {
  private final AgentCommands commands;
  private final Fleet fleet;

  StopOnDelete(AgentCommands commands, Fleet fleet) {
    this.fleet = fleet;
    this.commands = commands;
  }

  @Override
  public void beforeDelete(Handle h, UUID orgId, ServiceView service, String projectSlug) {
    UUID serverId = service.serverId();
    if (serverId == null || !fleet.hasAgent(h, orgId, serverId)) {
      return;
    }
    commands.enqueue(
        h,
        orgId,
        serverId,
        null,
        new StopCommand(RuntimeNames.serviceRef(orgId, projectSlug, service.name())));
    h.afterCommit(() -> commands.wake(serverId));
  }
}
