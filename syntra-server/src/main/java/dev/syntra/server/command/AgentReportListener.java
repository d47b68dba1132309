package dev.syntra.server.command;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.server.fleet.AgentRef;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Hears what agents report about the commands they were sent. Spring beans implementing this are
 * called by the hub on its I/O worker, inside a transaction in the agent's organization ({@code h}
 * is already in {@code Tenancy.inOrg}); an exception rolls the transaction back and the report is
 * logged and dropped (the agent is not disconnected).
 */
public interface AgentReportListener {

  /**
   * A {@code deploy_status} for the deploy or rollback command {@code commandId} (which the hub has
   * matched to the agent's server), entered at {@code enteredAt}. May arrive again after a
   * reconnect: implementations ignore phases older than what they already have.
   */
  void onDeployStatus(
      Handle h, AgentRef agent, UUID commandId, Instant enteredAt, DeployStatus status);

  /**
   * The final {@code command_result} of {@code commandId}; the command row is already marked {@code
   * succeeded} or {@code failed} in this transaction. {@code deploymentId} is the deployment the
   * command was queued for, if any.
   */
  void onCommandResult(
      Handle h,
      AgentRef agent,
      UUID commandId,
      String commandType,
      @Nullable UUID deploymentId,
      CommandResult result);
}
