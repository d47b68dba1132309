package dev.syntra.agent.state;

import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.ConfigureHealthCheckCommand;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.message.UpdateAgentCommand;
import dev.syntra.protocol.runtime.ServiceRef;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the journal remembers about one command: enough to answer a redelivery and to reconcile
 * after a restart, and nothing secret (no env values, no registry passwords).
 *
 * @param commandId the command's envelope id
 * @param type the command type
 * @param service the service it acts on, or null (log stop, agent update)
 * @param deploymentId for deploy and rollback: the deployment it creates
 * @param replicas for scale: the requested replica count
 * @param finished whether its final messages are recorded
 * @param receivedAt when it was first received
 * @param finishedAt when it finished, or null
 */
public record JournalEntry(
    String commandId,
    MessageType type,
    @Nullable ServiceRef service,
    @Nullable String deploymentId,
    @Nullable Integer replicas,
    boolean finished,
    Instant receivedAt,
    @Nullable Instant finishedAt) {

  /** A fresh "received" entry describing {@code command}. */
  public static JournalEntry received(String commandId, Command command, Instant now) {
    ServiceRef service =
        switch (command) {
          case DeployCommand c -> c.spec().service();
          case StopCommand c -> c.service();
          case ScaleCommand c -> c.service();
          case RestartCommand c -> c.service();
          case RollbackCommand c -> c.service();
          case ExecCommand c -> c.service();
          case LogsCommand c -> c.service();
          case ConfigureHealthCheckCommand c -> c.service();
          case ConfigureTelemetryCommand c -> c.service();
          case UpdateAgentCommand c -> null;
        };
    String deploymentId =
        switch (command) {
          case DeployCommand c -> c.spec().deploymentId();
          case RollbackCommand c -> c.deploymentId();
          default -> null;
        };
    Integer replicas = command instanceof ScaleCommand s ? s.replicas() : null;
    return new JournalEntry(
        commandId, command.type(), service, deploymentId, replicas, false, now, null);
  }

  /** This entry marked finished at {@code now}. */
  public JournalEntry finishedAt(Instant now) {
    return new JournalEntry(
        commandId, type, service, deploymentId, replicas, true, receivedAt, now);
  }
}
