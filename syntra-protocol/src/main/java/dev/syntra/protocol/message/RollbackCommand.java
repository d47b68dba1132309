package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.ServiceRef;

/**
 * Redeploy an earlier deployment of a service from the agent's local history.
 *
 * @param deploymentId id of the new deployment record this rollback creates
 * @param targetDeploymentId the earlier deployment whose image and env are restored
 */
public record RollbackCommand(ServiceRef service, String deploymentId, String targetDeploymentId)
    implements Command {
  public RollbackCommand {
    Checks.notNull(service, "service");
    Checks.identifier(deploymentId, "deployment_id");
    Checks.identifier(targetDeploymentId, "target_deployment_id");
  }

  @Override
  public MessageType type() {
    return MessageType.ROLLBACK;
  }
}
