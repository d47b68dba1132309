package dev.syntra.server.command;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.server.fleet.AgentRef;
import dev.syntra.server.fleet.ServerRemoval;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Finishes the deletion of a draining server once its agent has answered its last command. */
@Component
class ServerDrain implements AgentReportListener {
  private final ServerRemoval removal;

  ServerDrain(ServerRemoval removal) {
    this.removal = removal;
  }

  @Override
  public void onDeployStatus(
      Handle h, AgentRef agent, UUID commandId, Instant enteredAt, DeployStatus status) {}

  @Override
  public void onCommandResult(
      Handle h,
      AgentRef agent,
      UUID commandId,
      String commandType,
      @Nullable UUID deploymentId,
      CommandResult result) {
    h.afterCommit(() -> removal.finishIfDrained(agent));
  }
}
