package dev.syntra.agent.command;

import dev.syntra.agent.state.JournalEntry;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.protocol.security.SecureIds;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the outcome of a command the agent received but never finished because it was stopped or
 * killed while running. The command is never executed again (at-most-once); instead the runtime's
 * current state says what happened: a deploy whose deployment serves with running replicas
 * succeeded, anything else is reported failed with code {@code internal} and the state found.
 */
final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final RuntimeAdapter adapter;
  private final ManagedServices services;
  private final Clock clock;

  Reconciler(RuntimeAdapter adapter, ManagedServices services, Clock clock) {
    this.adapter = adapter;
    this.services = services;
    this.clock = clock;
  }

  /** The final messages of the interrupted command {@code entry}, in sending order. */
  List<Envelope> reconcile(JournalEntry entry) {
    if (entry.service() == null) {
      return List.of(
          failed(entry, "the agent restarted while this command ran; it was not run again"));
    }
    ServiceStatus status;
    try {
      status = adapter.status(entry.service());
    } catch (RuntimeAdapterException e) {
      String message =
          "the agent restarted while this command ran and cannot read the state of "
              + entry.service()
              + " now: "
              + e.getMessage();
      return deployOrPlain(entry, false, message);
    }
    long running =
        status.replicas().stream().filter(r -> r.state() == ReplicaStatus.State.RUNNING).count();
    String found =
        "state "
            + status.state().name().toLowerCase(java.util.Locale.ROOT)
            + ", deployment "
            + (status.deploymentId() == null ? "none" : status.deploymentId())
            + ", "
            + running
            + "/"
            + status.desiredReplicas()
            + " replicas running";
    return switch (entry.type()) {
      case DEPLOY, ROLLBACK -> {
        boolean serving =
            entry.deploymentId() != null
                && entry.deploymentId().equals(status.deploymentId())
                && running > 0;
        yield deployOrPlain(
            entry,
            serving,
            serving
                ? "the agent restarted during the deploy; deployment "
                    + entry.deploymentId()
                    + " is serving ("
                    + found
                    + ")"
                : "the agent restarted during the deploy of "
                    + entry.deploymentId()
                    + " and the deployment is not serving; found "
                    + found);
      }
      case STOP -> {
        if (status.state() == ServiceStatus.State.NOT_FOUND
            || status.state() == ServiceStatus.State.STOPPED) {
          // As a completed stop does: heartbeats must not report it as a missing service.
          untrack(entry.service());
          yield List.of(ok(entry));
        }
        yield List.of(
            failed(entry, "the agent restarted while stopping the service; found " + found));
      }
      case SCALE ->
          entry.replicas() != null && status.desiredReplicas() == entry.replicas()
              ? List.of(ok(entry))
              : List.of(
                  failed(entry, "the agent restarted while scaling the service; found " + found));
      default ->
          List.of(
              failed(
                  entry,
                  "the agent restarted while this command ran; it was not run again (found "
                      + found
                      + ")"));
    };
  }

  private void untrack(ServiceRef service) {
    try {
      services.remove(service);
    } catch (IOException e) {
      log.warn("Cannot remove the stopped service {} from the agent's state: {}", service, e);
    }
  }

  private List<Envelope> deployOrPlain(JournalEntry entry, boolean ok, String message) {
    List<Envelope> finals = new ArrayList<>();
    boolean deploy = entry.deploymentId() != null && entry.service() != null;
    if (deploy) {
      DeployStatus status =
          new DeployStatus(
              entry.deploymentId(),
              entry.service(),
              ok ? DeployPhase.RUNNING : DeployPhase.FAILED,
              message,
              ok ? null : "internal");
      finals.add(envelope(entry, status));
    }
    finals.add(ok ? ok(entry) : failed(entry, message));
    return finals;
  }

  private Envelope ok(JournalEntry entry) {
    return envelope(entry, CommandResult.ok());
  }

  private Envelope failed(JournalEntry entry, String message) {
    return envelope(entry, CommandResult.failed("internal", message));
  }

  private Envelope envelope(JournalEntry entry, Message payload) {
    return new Envelope(
        ProtocolVersion.JSON_MAJOR,
        SecureIds.messageId(),
        clock.instant(),
        SecureIds.nonce(),
        entry.commandId(),
        payload);
  }
}
