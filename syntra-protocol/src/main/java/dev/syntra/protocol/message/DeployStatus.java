package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ServiceRef;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a deploy or rollback. The envelope {@code reply_to} is the id of the command that
 * started it; the envelope {@code ts} is when the phase was entered.
 *
 * @param deploymentId the deployment this reports on
 * @param service the service being deployed
 * @param phase the phase entered
 * @param message progress note, e.g. "pulling 127.0.0.1:5000/web:2" or the failure reason
 * @param errorCode for {@code failed}/{@code rolled_back}: the runtime error code, else null
 */
public record DeployStatus(
    String deploymentId,
    ServiceRef service,
    DeployPhase phase,
    String message,
    @Nullable String errorCode)
    implements AgentMessage {
  public DeployStatus {
    Checks.identifier(deploymentId, "deployment_id");
    Checks.notNull(service, "service");
    Checks.notNull(phase, "phase");
    Checks.notNull(message, "message");
  }

  @Override
  public MessageType type() {
    return MessageType.DEPLOY_STATUS;
  }
}
