package dev.syntra.server.deploy;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.server.command.AgentReportListener;
import dev.syntra.server.command.CommandHistory;
import dev.syntra.server.fleet.AgentRef;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies what agents report to deployments. Reports are idempotent and only move forward: a report
 * for a finished deployment, a phase seen already or a phase before the current one is ignored
 * (agents resend after a reconnect). A failed {@code command_result} of a deploy or rollback that
 * reported no terminal phase fails the deployment with the result's code; an ok one completes it
 * (receivers tolerate a missing phase).
 */
@Component
class DeployReports implements AgentReportListener {
  private static final Logger log = LoggerFactory.getLogger(DeployReports.class);

  private final Deployments deployments;
  private final DeploymentLifecycle lifecycle;
  private final CommandHistory history;

  DeployReports(Deployments deployments, DeploymentLifecycle lifecycle, CommandHistory history) {
    this.history = history;
    this.deployments = deployments;
    this.lifecycle = lifecycle;
  }

  @Override
  public void onDeployStatus(
      Handle h, AgentRef agent, UUID commandId, Instant enteredAt, DeployStatus status) {
    UUID deploymentId = parse(status.deploymentId());
    if (deploymentId == null || !belongsTo(h, commandId, deploymentId)) {
      log.warn(
          "Ignoring deploy_status of command {} from server {}: deployment {} is not the"
              + " command's",
          commandId,
          agent.serverId(),
          status.deploymentId());
      return;
    }
    Optional<Deployments.State> locked = lockFor(h, agent, deploymentId);
    if (locked.isEmpty() || locked.get().isTerminal()) {
      return;
    }
    Deployments.State state = locked.get();
    DeployPhase phase = status.phase();
    if (!isForward(state.phase(), phase)) {
      return;
    }
    String phaseName = wireName(phase);
    switch (phase) {
      case RUNNING ->
          lifecycle.finish(h, agent.orgId(), state, "running", phaseName, null, status.message());
      case FAILED, ROLLED_BACK ->
          lifecycle.finish(
              h,
              agent.orgId(),
              state,
              phaseName,
              phaseName,
              status.errorCode() == null ? "internal" : status.errorCode(),
              status.message());
      default -> lifecycle.progress(h, agent.orgId(), state, phaseName, status.message());
    }
  }

  @Override
  public void onCommandResult(
      Handle h,
      AgentRef agent,
      UUID commandId,
      String commandType,
      @Nullable UUID deploymentId,
      CommandResult result) {
    if (deploymentId == null || !(commandType.equals("deploy") || commandType.equals("rollback"))) {
      return;
    }
    Optional<Deployments.State> locked = lockFor(h, agent, deploymentId);
    if (locked.isEmpty() || locked.get().isTerminal()) {
      return;
    }
    CommandResult.Error error = result.error();
    if (error == null) {
      lifecycle.finish(
          h, agent.orgId(), locked.get(), "running", null, null, "the agent reported success");
    } else {
      lifecycle.finish(
          h, agent.orgId(), locked.get(), "failed", null, error.code(), error.message());
    }
  }

  /** Whether {@code next} moves forward from {@code current} (a terminal phase always does). */
  static boolean isForward(@Nullable String current, DeployPhase next) {
    if (current == null) {
      return true;
    }
    DeployPhase from = DeployPhase.valueOf(current.toUpperCase(Locale.ROOT));
    if (from.isTerminal()) {
      return false;
    }
    return next.isTerminal() || next.ordinal() > from.ordinal();
  }

  private Optional<Deployments.State> lockFor(Handle h, AgentRef agent, UUID deploymentId) {
    Optional<Deployments.State> state = deployments.lock(h, agent.orgId(), deploymentId);
    if (state.isPresent() && !agent.serverId().equals(state.get().serverId())) {
      log.warn(
          "Ignoring a report of server {} about deployment {} of another server",
          agent.serverId(),
          deploymentId);
      return Optional.empty();
    }
    return state;
  }

  private boolean belongsTo(Handle h, UUID commandId, UUID deploymentId) {
    return history.deploymentOf(h, commandId).map(deploymentId::equals).orElse(false);
  }

  private static @Nullable UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String wireName(DeployPhase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }
}
