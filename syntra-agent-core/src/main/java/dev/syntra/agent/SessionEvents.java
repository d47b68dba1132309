package dev.syntra.agent;

import dev.syntra.agent.command.CommandDispatcher;
import dev.syntra.agent.command.LogStreams;
import dev.syntra.agent.command.Outbox;
import dev.syntra.agent.heartbeat.HeartbeatFactory;
import dev.syntra.agent.link.LinkListener;
import dev.syntra.agent.link.Session;
import dev.syntra.agent.metrics.HostFacts;
import dev.syntra.agent.metrics.ProcFs;
import dev.syntra.agent.state.AgentIdentity;
import dev.syntra.agent.state.IdentityStore;
import dev.syntra.agent.telemetry.FrameShipper;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.protocol.security.TokenFormat;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of each session: builds the hello, stores the identity on registration before
 * anything else happens, then opens the outbox, log streams and heartbeats, and routes commands.
 */
final class SessionEvents implements LinkListener {
  private final ExecutorService heartbeatBuilder =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("syntra-heartbeat").daemon(true).factory());
  private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
  private final AtomicLong heartbeatsSkipped = new AtomicLong();
  private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

  private final AgentConfig config;
  private final String runtimeName;
  private final IdentityStore identityStore;
  private final CommandDispatcher dispatcher;
  private final Outbox outbox;
  private final LogStreams logStreams;
  private final HeartbeatFactory heartbeats;
  private final ScheduledExecutorService scheduler;
  private final ProcFs proc;
  private final Clock clock;
  private final Runnable statusChanged;
  private final AtomicLong heartbeatFailures = new AtomicLong();
  private volatile @Nullable AgentIdentity identity;
  private @Nullable ScheduledFuture<?> heartbeatTask;
  private volatile @Nullable FrameShipper shipper;
  private volatile BiConsumer<AgentIdentity, SessionSettings> sessionStarting = (i, s) -> {};

  SessionEvents(
      AgentConfig config,
      String runtimeName,
      IdentityStore identityStore,
      @Nullable AgentIdentity identity,
      CommandDispatcher dispatcher,
      Outbox outbox,
      LogStreams logStreams,
      HeartbeatFactory heartbeats,
      ScheduledExecutorService scheduler,
      ProcFs proc,
      Clock clock,
      Runnable statusChanged) {
    this.config = config;
    this.runtimeName = runtimeName;
    this.identityStore = identityStore;
    this.identity = identity;
    this.dispatcher = dispatcher;
    this.outbox = outbox;
    this.logStreams = logStreams;
    this.heartbeats = heartbeats;
    this.scheduler = scheduler;
    this.proc = proc;
    this.clock = clock;
    this.statusChanged = statusChanged;
  }

  /** Ships telemetry frames through {@code frames} from the next session on. */
  void shipFramesWith(FrameShipper frames) {
    this.shipper = frames;
  }

  /**
   * Runs {@code hook} on the link thread at the start of every session, once the identity is stored
   * (so also right after the first registration) and before frames are shipped: the agent starts
   * its telemetry pipeline there and applies the session's settings.
   */
  void beforeSessionStarts(BiConsumer<AgentIdentity, SessionSettings> hook) {
    this.sessionStarting = hook;
  }

  @Nullable AgentIdentity identity() {
    return identity;
  }

  @Override
  public AgentHello hello() {
    AgentIdentity known = identity;
    String token = known != null ? known.credential() : config.registrationToken();
    if (token == null) {
      throw new IllegalStateException("no credential and no registration token");
    }
    if (known == null) {
      log.info("Registering with registration token {}", TokenFormat.redact(token));
    }
    return new AgentHello(
        known == null ? null : known.agentId(),
        token,
        AgentVersion.current(),
        runtimeName,
        HostFacts.os(config.osRelease()),
        HostFacts.arch(System.getProperty("os.arch", "unknown")),
        HostFacts.hostname(proc),
        resources(),
        null);
  }

  @Override
  public void onSessionOpened(Session session, HelloOk ok) throws IOException {
    AgentIdentity known = identity;
    if (ok.credential() != null) {
      AgentIdentity registered =
          new AgentIdentity(ok.agentId(), ok.serverId(), ok.credential(), clock.instant());
      identityStore.save(registered); // durable before anything else happens
      identity = registered;
      log.info(
          "Registered as agent {} on server {}; credential stored in {}",
          ok.agentId(),
          ok.serverId(),
          identityStore.file());
    } else if (known == null) {
      throw new IOException(
          "the control plane accepted the registration but sent no credential; the agent could"
              + " not reconnect later, so it stops here");
    } else if (!known.serverId().equals(ok.serverId())) {
      AgentIdentity moved = known.withServerId(ok.serverId());
      identityStore.save(moved);
      identity = moved;
    }
    AgentIdentity current = identity;
    if (current != null) {
      sessionStarting.accept(current, ok.settings());
    }
    dispatcher.limitMessageBytes(session.maxMessageBytes());
    outbox.open(session::send);
    logStreams.attach(session::send);
    long periodMs = ok.settings().heartbeatInterval().toMillis();
    heartbeatTask =
        scheduler.scheduleAtFixedRate(() -> heartbeat(session), 0, periodMs, TimeUnit.MILLISECONDS);
    FrameShipper frames = shipper;
    if (frames != null) {
      frames.sessionOpened(session);
    }
    statusChanged.run();
  }

  @Override
  public void onTelemetryAck(Session session, TelemetryAck ack) {
    FrameShipper frames = shipper;
    if (frames != null) {
      frames.acknowledged(ack);
    }
  }

  @Override
  public void onThrottle(Session session, Throttle throttle) {
    FrameShipper frames = shipper;
    if (frames != null) {
      frames.throttled(throttle);
    }
  }

  @Override
  public void onCommand(Session session, Envelope command) {
    dispatcher.dispatch(command);
  }

  @Override
  public void onSessionClosed(Session session) {
    ScheduledFuture<?> task = heartbeatTask;
    if (task != null) {
      task.cancel(false);
    }
    outbox.close();
    logStreams.detach();
    FrameShipper frames = shipper;
    if (frames != null) {
      frames.sessionClosed(session);
    }
    statusChanged.run();
  }

  /**
   * Builds and sends a heartbeat on its own thread: reading service status can block on a slow
   * runtime (a hung Docker daemon), and the scheduler must stay responsive for the watchdog. While
   * one heartbeat is still being built, the next is skipped (and counted), never queued.
   */
  private void heartbeat(Session session) {
    if (!session.isOpen()) {
      return;
    }
    if (!heartbeatInFlight.compareAndSet(false, true)) {
      long skipped = heartbeatsSkipped.incrementAndGet();
      if (skipped == 1 || skipped % 100 == 0) {
        log.warn(
            "The previous heartbeat is still being built (runtime slow?); skipped {}", skipped);
      }
      return;
    }
    heartbeatBuilder.execute(() -> {
      try {
        session.send(Envelope.of(heartbeats.build(), clock));
      } catch (RuntimeException e) {
        long failures = heartbeatFailures.incrementAndGet();
        if (failures == 1 || failures % 100 == 0) {
          log.warn("Building a heartbeat failed ({} failures so far): {}", failures, e.toString());
        }
      } finally {
        heartbeatInFlight.set(false);
      }
    });
  }

  private AgentHello.Resources resources() {
    int cores = Runtime.getRuntime().availableProcessors();
    long memory = 0;
    long disk = 0;
    try {
      cores = Math.max(1, proc.cpu().cores().size());
      memory = proc.memory().totalBytes();
    } catch (RuntimeException e) {
      log.debug("Cannot read /proc for the hello: {}", e.toString());
    }
    try {
      FileStore store = Files.getFileStore(config.stateDir());
      disk = store.getTotalSpace();
    } catch (IOException e) {
      log.debug("Cannot read the disk size: {}", e.toString());
    }
    return new AgentHello.Resources(cores, memory, disk);
  }
}
