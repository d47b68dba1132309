package dev.syntra.agent.command;

import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.security.SecureIds;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Turns a runtime's deploy progress into {@code deploy_status} messages answering one command.
 * Non-terminal phases go out at once (stamped with the time the phase was entered); the terminal
 * phase is held back until the runtime call returns, because only then is its error code known, and
 * it becomes one of the command's final messages.
 */
final class DeployProgress implements DeployListener {
  private final String commandId;
  private final String deploymentId;
  private final ServiceRef service;
  private final Outbox outbox;
  private final Clock clock;
  private @Nullable DeployPhase terminalPhase;
  private @Nullable String terminalMessage;
  private @Nullable Instant terminalAt;

  DeployProgress(
      String commandId, String deploymentId, ServiceRef service, Outbox outbox, Clock clock) {
    this.commandId = commandId;
    this.deploymentId = deploymentId;
    this.service = service;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public synchronized void onProgress(DeployPhase phase, String message) {
    if (phase.isTerminal()) {
      terminalPhase = phase;
      terminalMessage = message;
      terminalAt = clock.instant();
      return;
    }
    outbox.send(status(phase, message, null, clock.instant()));
  }

  /** The terminal {@code running} status after a successful runtime call. */
  synchronized Envelope succeeded() {
    String message =
        terminalPhase == DeployPhase.RUNNING && terminalMessage != null
            ? terminalMessage
            : "deployment " + deploymentId + " is running";
    return status(DeployPhase.RUNNING, message, null, at());
  }

  /** The terminal {@code failed} or {@code rolled_back} status after a failed runtime call. */
  synchronized Envelope failed(String code, String message) {
    DeployPhase phase =
        terminalPhase == DeployPhase.ROLLED_BACK ? DeployPhase.ROLLED_BACK : DeployPhase.FAILED;
    String text =
        terminalPhase != null && terminalPhase != DeployPhase.RUNNING && terminalMessage != null
            ? terminalMessage
            : message;
    return status(phase, text, code, at());
  }

  synchronized Envelope failed(RuntimeAdapterException e) {
    return failed(e.code().wireName(), String.valueOf(e.getMessage()));
  }

  private Instant at() {
    return terminalAt != null && terminalPhase != null ? terminalAt : clock.instant();
  }

  private Envelope status(DeployPhase phase, String message, @Nullable String code, Instant at) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        at,
        SecureIds.nonce(),
        commandId,
        new DeployStatus(deploymentId, service, phase, message, code));
  }
}
