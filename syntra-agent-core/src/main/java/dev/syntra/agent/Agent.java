package dev.syntra.agent;

import dev.syntra.agent.command.CommandDispatcher;
import dev.syntra.agent.command.LogStreams;
import dev.syntra.agent.command.Outbox;
import dev.syntra.agent.heartbeat.HeartbeatFactory;
import dev.syntra.agent.link.ControlLink;
import dev.syntra.agent.link.LinkState;
import dev.syntra.agent.link.LinkTermination;
import dev.syntra.agent.metrics.ProcFs;
import dev.syntra.agent.metrics.SystemMetricsCollector;
import dev.syntra.agent.pipeline.ServiceCatalog;
import dev.syntra.agent.pipeline.TelemetryPipeline;
import dev.syntra.agent.state.AgentIdentity;
import dev.syntra.agent.state.AgentStatus;
import dev.syntra.agent.state.AtomicFiles;
import dev.syntra.agent.state.CommandJournal;
import dev.syntra.agent.state.IdentityStore;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.agent.state.StateException;
import dev.syntra.agent.state.StatusFile;
import dev.syntra.agent.telemetrysettings.TelemetrySettingsStore;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.security.ReplayGuard;
import dev.syntra.protocol.security.TokenFormat;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Syntra agent: keeps one link to the control plane, registers on first start, sends
 * heartbeats, and executes commands at most once on a {@link RuntimeAdapter}, keeping its identity,
 * command journal and managed services in a state directory.
 *
 * <p>Lifecycle: {@link #create} opens the state (and fails fast on bad configuration), {@link
 * #start()} reconciles commands a previous run left unfinished and connects, {@link #exit()}
 * completes when the agent stops for good (its token refused, or {@link #close()}). Running
 * workloads are never touched by a lost link or by stopping the agent. The agent owns the adapter
 * and closes it. Thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final RuntimeAdapter adapter;
  private final Clock clock;
  private final CommandJournal journal;
  private final Outbox outbox;
  private final LogStreams logStreams;
  private final CommandDispatcher dispatcher;
  private final StatusFile statusFile;
  private final ScheduledExecutorService scheduler;
  private final SessionEvents sessions;
  private final ControlLink link;
  private final ManagedServices services;
  private final TelemetrySettingsStore telemetrySettings;
  private final ServiceCatalog catalog;
  private volatile @Nullable TelemetryPipeline telemetry;
  private final CompletableFuture<AgentExit> exit = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Agent(AgentConfig config, RuntimeAdapter adapter, Clock clock) {
    this.config = config;
    this.adapter = adapter;
    this.clock = clock;
    try {
      AtomicFiles.createPrivateDirectory(config.stateDir());
      AtomicFiles.removeLeftovers(config.stateDir());
    } catch (IOException e) {
      throw new StateException(
          "cannot create the state directory "
              + config.stateDir()
              + ": "
              + e.getMessage()
              + ". Run the agent as a user that may write there, or choose another --state-dir.",
          e);
    }
    IdentityStore identityStore = new IdentityStore(config.stateDir());
    Optional<AgentIdentity> identity = identityStore.load();
    checkToken(config, identity);
    MessageCodec codec = MessageCodec.create(config.link().maxMessageBytes());
    this.journal =
        CommandJournal.open(
            config.stateDir(), clock, config.journalMaxFinished(), config.journalMaxAge());
    this.services = ManagedServices.open(config.stateDir());
    this.telemetrySettings = TelemetrySettingsStore.open(config.stateDir());
    this.catalog = ServiceCatalog.open(config.stateDir());
    this.outbox = new Outbox(config.outboxMaxMessages(), clock);
    this.logStreams = new LogStreams(adapter, clock, 64, 10_000, Duration.ofMillis(200));
    this.dispatcher =
        new CommandDispatcher(
            adapter,
            journal,
            services,
            logStreams,
            outbox,
            codec,
            clock,
            config.commandThreads(),
            config.maxPendingCommands(),
            telemetrySettings);
    dispatcher.observeDeploys(catalog::deployed);
    this.statusFile = new StatusFile(config.stateDir());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "syntra-agent");
          t.setDaemon(true);
          return t;
        });
    ProcFs proc = new ProcFs(config.procRoot());
    SystemMetricsCollector metrics = new SystemMetricsCollector(proc, config.stateDir());
    try {
      metrics.prime();
    } catch (RuntimeException e) {
      log.warn("Cannot read CPU times from {}: {}", config.procRoot(), e.toString());
    }
    HeartbeatFactory heartbeats =
        new HeartbeatFactory(metrics, adapter, services, this::telemetryDropped);
    this.sessions =
        new SessionEvents(
            config,
            adapter.runtimeName(),
            identityStore,
            identity.orElse(null),
            dispatcher,
            outbox,
            logStreams,
            heartbeats,
            scheduler,
            proc,
            clock,
            this::writeStatus);
    sessions.beforeSessionStarts((id, settings) -> {
      TelemetryPipeline pipeline = telemetry;
      if (pipeline != null) {
        pipeline.sessionTraceRatio(settings.traceSampleRatio());
      }
    });
    this.link = new ControlLink(config.link(), sessions, codec, ReplayGuard.create(clock), clock);
  }

  /**
   * Opens the state directory and prepares the agent; nothing connects yet.
   *
   * @throws IllegalArgumentException when the configuration cannot work (e.g. no token and no
   *     stored credential)
   * @throws StateException when the state directory cannot be used
   */
  public static Agent create(AgentConfig config, RuntimeAdapter adapter) {
    return new Agent(config, adapter, Clock.systemUTC());
  }

  /** {@link #create(AgentConfig, RuntimeAdapter)} with another clock (tests). */
  public static Agent create(AgentConfig config, RuntimeAdapter adapter, Clock clock) {
    return new Agent(config, adapter, clock);
  }

  /** Settles commands a previous run left unfinished, then starts connecting. Returns at once. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the agent was already started");
    }
    dispatcher.reconcileInterrupted();
    startTelemetry();
    long period = config.statusInterval().toMillis();
    scheduler.scheduleAtFixedRate(this::writeStatus, 0, period, TimeUnit.MILLISECONDS);
    link.termination().thenAccept(this::linkEnded);
    link.start();
    log.info("Syntra agent {} started: {}", AgentVersion.current(), config);
  }

  /**
   * Starts the telemetry pipeline (receivers, collectors, buffer, shipper) unless the configuration
   * turns it off.
   *
   * @throws java.io.UncheckedIOException when a receiver cannot bind its address
   */
  private void startTelemetry() {
    if (!config.telemetry().enabled()) {
      log.info("Telemetry is off: no OTLP receivers, collectors or shipping");
      return;
    }
    TelemetryPipeline pipeline =
        TelemetryPipeline.start(
            config.telemetry(),
            config.stateDir(),
            adapter,
            services,
            telemetrySettings,
            catalog,
            () -> {
              AgentIdentity id = sessions.identity();
              return id == null ? null : id.serverId();
            },
            alert -> outbox.send(Envelope.of(alert, clock)));
    sessions.shipFramesWith(pipeline.shipper());
    telemetry = pipeline;
  }

  /** The telemetry pipeline, once started. */
  public Optional<TelemetryPipeline> telemetry() {
    return Optional.ofNullable(telemetry);
  }

  private long telemetryDropped() {
    TelemetryPipeline pipeline = telemetry;
    return pipeline == null ? 0 : pipeline.dropped();
  }

  /** Completes when the agent stops for good. */
  public CompletableFuture<AgentExit> exit() {
    return exit;
  }

  /**
   * Whether the agent's threads are alive and not hung: the link thread and the scheduler each run
   * a task within {@code timeout}. A lost connection does not make the agent unhealthy.
   */
  public boolean healthy(Duration timeout) {
    if (closed.get() || !link.responsive(timeout)) {
      return false;
    }
    try {
      scheduler.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  /** The identity, once registered. */
  public Optional<AgentIdentity> identity() {
    return Optional.ofNullable(sessions.identity());
  }

  /** A snapshot of connection state and counters, as written to {@code status.json}. */
  public AgentStatus status() {
    LinkState state = link.state();
    return new AgentStatus(
        state.connected(),
        state.since(),
        state.lastError(),
        adapter.runtimeName(),
        AgentVersion.current(),
        ProcessHandle.current().pid(),
        outbox.size(),
        outbox.dropped(),
        journal.size(),
        journal.dropped(),
        logStreams.droppedLines(),
        link.replayRefused(),
        clock.instant(),
        telemetry().map(TelemetryPipeline::counters).orElse(java.util.Map.of()));
  }

  /**
   * Closes the link, waits up to the shutdown grace for running commands (the journal reconciles
   * the rest at the next start), closes the adapter and writes a last status. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    TelemetryPipeline pipeline = telemetry;
    if (pipeline != null) {
      pipeline.close(); // sources stop, the buffer seals and spools what it has
    }
    link.close();
    dispatcher.shutdown(config.shutdownGrace());
    logStreams.close();
    scheduler.shutdownNow();
    writeStatus();
    try {
      adapter.close();
    } catch (RuntimeException e) {
      log.warn("Closing the {} adapter failed: {}", adapter.runtimeName(), e.toString());
    }
    exit.complete(new AgentExit(AgentExit.Kind.STOPPED, "stopped"));
  }

  private void linkEnded(LinkTermination termination) {
    AgentExit.Kind kind =
        switch (termination.kind()) {
          case CLOSED -> AgentExit.Kind.STOPPED;
          case REJECTED -> AgentExit.Kind.REJECTED;
          case FAILED -> AgentExit.Kind.FAILED;
        };
    writeStatus();
    exit.complete(new AgentExit(kind, termination.message()));
  }

  /** The scheduler's periodic housekeeping: the status file, and exec output past its time. */
  private void writeStatus() {
    try {
      statusFile.write(status());
    } catch (IOException | RuntimeException e) {
      log.debug("Cannot write the status file: {}", e.toString());
    }
    try {
      journal.purgeExpiredOutput();
    } catch (IOException | RuntimeException e) {
      log.warn("Cannot remove expired exec output from the command journal: {}", e.toString());
    }
  }

  private static void checkToken(AgentConfig config, Optional<AgentIdentity> identity) {
    String token = config.registrationToken();
    if (identity.isPresent()) {
      if (token != null) {
        log.info(
            "Already registered as agent {}; the registration token is not needed and is ignored",
            identity.get().agentId());
      }
      return;
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "this agent is not registered yet (no "
              + IdentityStore.FILE_NAME
              + " in "
              + config.stateDir()
              + ") and no registration token was given: pass --token-file FILE, set"
              + " $SYNTRA_AGENT_TOKEN, or put token_file=... or token=... in the config file");
    }
    if (!TokenFormat.AGENT.isWellFormed(token)) {
      throw new IllegalArgumentException(
          "the registration token "
              + TokenFormat.redact(token)
              + " is malformed (expected"
              + " syn_tkn_ followed by 36 letters and digits); copy it again from the dashboard");
    }
  }
}
