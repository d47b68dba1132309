package dev.syntra.agent.command;

import dev.syntra.agent.state.ManagedServices;
import dev.syntra.agent.telemetrysettings.TelemetrySettingsStore;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.ConfigureHealthCheckCommand;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.message.UpdateAgentCommand;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one command on the runtime adapter and produces its final messages: for deploys and
 * rollbacks the terminal {@code deploy_status}, then always the {@code command_result}. Progress
 * messages go to the outbox as they happen. Never throws: every failure becomes a failed result.
 */
final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final RuntimeAdapter adapter;
  private final ManagedServices services;
  private final LogStreams logStreams;
  private final Outbox outbox;
  private final Clock clock;
  private final @Nullable TelemetrySettingsStore telemetrySettings;

  /** Told of every deploy spec before it runs (the telemetry pipeline's service catalog). */
  private volatile Consumer<DeploySpec> deployObserver = spec -> {};

  CommandRunner(
      RuntimeAdapter adapter,
      ManagedServices services,
      LogStreams logStreams,
      Outbox outbox,
      Clock clock,
      @Nullable TelemetrySettingsStore telemetrySettings) {
    this.telemetrySettings = telemetrySettings;
    this.adapter = adapter;
    this.services = services;
    this.logStreams = logStreams;
    this.outbox = outbox;
    this.clock = clock;
  }

  void observeDeploys(Consumer<DeploySpec> observer) {
    this.deployObserver = observer;
  }

  /** Runs the command of {@code envelope}; returns its final messages in sending order. */
  List<Envelope> run(Envelope envelope) {
    try {
      return switch (envelope.payload()) {
        case DeployCommand c ->
            deploy(
                envelope,
                c.spec().service(),
                c.spec().deploymentId(),
                p -> {
                  deployObserver.accept(c.spec());
                  adapter.deploy(c.spec(), p);
                });
        case RollbackCommand c ->
            deploy(
                envelope,
                c.service(),
                c.deploymentId(),
                p -> adapter.rollback(c.service(), c.targetDeploymentId(), c.deploymentId(), p));
        case StopCommand c ->
            simple(
                envelope,
                () -> {
                  adapter.stop(c.service());
                  untrack(c.service());
                  return CommandResult.ok();
                });
        case ScaleCommand c ->
            simple(
                envelope,
                () -> {
                  track(c.service());
                  adapter.scale(c.service(), c.replicas());
                  return CommandResult.ok();
                });
        case RestartCommand c ->
            simple(
                envelope,
                () -> {
                  adapter.restart(c.service());
                  return CommandResult.ok();
                });
        case ExecCommand c ->
            simple(
                envelope,
                () -> CommandResult.ok(adapter.exec(c.service(), c.command(), c.options())));
        case LogsCommand c -> simple(envelope, () -> logStreams.handle(c));
        case UpdateAgentCommand c ->
            simple(
                envelope,
                () ->
                    CommandResult.failed(
                        RuntimeErrorCode.UNSUPPORTED.wireName(),
                        "this agent build cannot update itself; install version "
                            + c.version()
                            + " with the install script"));
        case ConfigureHealthCheckCommand c ->
            simple(
                envelope,
                () ->
                    CommandResult.failed(
                        RuntimeErrorCode.UNSUPPORTED.wireName(),
                        "agent-side health checks are not available in this agent build; set the health"
                            + " check in the deploy spec instead"));
        case ConfigureTelemetryCommand c -> simple(envelope, () -> configureTelemetry(c));
        default ->
            List.of(
                result(
                    envelope,
                    CommandResult.failed(
                        "unknown_command",
                        envelope.type().wireName() + " is not a command this agent handles")));
      };
    } catch (RuntimeException e) {
      log.error(
          "Command {} ({}) failed unexpectedly", envelope.id(), envelope.type().wireName(), e);
      return List.of(result(envelope, CommandResult.failed("internal", "the agent failed: " + e)));
    }
  }

  private CommandResult configureTelemetry(ConfigureTelemetryCommand command) throws IOException {
    if (telemetrySettings == null) {
      return CommandResult.failed(
          RuntimeErrorCode.UNSUPPORTED.wireName(),
          "this agent build does not keep telemetry settings");
    }
    telemetrySettings.put(command.service(), command.settings());
    log.info("Telemetry settings of {} are now {}", command.service(), command.settings());
    return CommandResult.ok();
  }

  /** A runtime call that deploys, reporting progress through a {@link DeployProgress}. */
  @FunctionalInterface
  private interface DeployCall {
    void run(DeployProgress progress);
  }

  private List<Envelope> deploy(
      Envelope envelope, ServiceRef service, String deploymentId, DeployCall call) {
    DeployProgress progress =
        new DeployProgress(envelope.id(), deploymentId, service, outbox, clock);
    List<Envelope> finals = new ArrayList<>();
    try {
      track(service);
      call.run(progress);
      log.info("Deployment {} of {} is running", deploymentId, service);
      finals.add(progress.succeeded());
      finals.add(result(envelope, CommandResult.ok()));
    } catch (RuntimeAdapterException e) {
      log.warn(
          "Deployment {} of {} failed: {} {}",
          deploymentId,
          service,
          e.code().wireName(),
          e.getMessage());
      finals.add(progress.failed(e));
      finals.add(result(envelope, CommandResult.failed(e)));
      untrackIfGone(service);
    } catch (IOException e) {
      String message = "cannot record the service in the agent's state: " + e.getMessage();
      finals.add(progress.failed("internal", message));
      finals.add(result(envelope, CommandResult.failed("internal", message)));
    } catch (RuntimeException e) {
      log.error("Deployment {} of {} failed unexpectedly", deploymentId, service, e);
      String message = "the agent failed during the deploy: " + e;
      finals.add(progress.failed("internal", message));
      finals.add(result(envelope, CommandResult.failed("internal", message)));
    }
    return finals;
  }

  /** A command answered by one result. */
  @FunctionalInterface
  private interface Call {
    CommandResult run() throws IOException;
  }

  private List<Envelope> simple(Envelope envelope, Call call) {
    CommandResult result;
    try {
      result = call.run();
    } catch (RuntimeAdapterException e) {
      result = CommandResult.failed(e);
    } catch (IOException e) {
      result =
          CommandResult.failed("internal", "cannot update the agent's state: " + e.getMessage());
    }
    return List.of(result(envelope, result));
  }

  private Envelope result(Envelope command, CommandResult result) {
    return Envelope.replyTo(command, result, clock);
  }

  private void track(ServiceRef service) throws IOException {
    services.add(service);
  }

  private void untrack(ServiceRef service) throws IOException {
    services.remove(service);
  }

  private void untrackIfGone(ServiceRef service) {
    try {
      ServiceStatus status = adapter.status(service);
      if (status.state() == ServiceStatus.State.NOT_FOUND) {
        services.remove(service);
      }
    } catch (RuntimeException | IOException e) {
      log.debug("Could not check whether {} still exists: {}", service, e.toString());
    }
  }
}
