package dev.syntra.server.deploy;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.auth.ActiveTokens;
import dev.syntra.server.db.Tenancy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The open Server-Sent Event streams of deployments. A stream replays the deployment's events, then
 * follows new ones until the deployment finishes. New events are found by reading the database: at
 * once when this node changed the deployment ({@link #changed}), and every second whatever happens
 * (events written by another node, a missed nudge). Idle streams get a keep-alive comment every 15
 * s.
 *
 * <p>At most {@value #MAX_STREAMS_PER_ORG} open streams per organization (more are refused with
 * 429; at most {@value #MAX_STREAMS} on the server, then 503; refusals are counted in {@code
 * syntra_deploy_event_streams_refused}). Each stream lives at most an hour; clients resume with
 * {@code Last-Event-ID}. Thread-safe.
 *
 * <p>On shutdown the streams end before the web server's graceful shutdown starts waiting for
 * requests to finish (an open stream would hold it for its whole timeout).
 */
@Component
class DeploymentStreams implements SmartLifecycle, AutoCloseable {
  /** Stops before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  static final int MAX_STREAMS_PER_ORG = 100;

  /** Open streams on this server, all organizations together (each polls the database). */
  static final int MAX_STREAMS = 1000;

  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  static final Duration MAX_LIFETIME = Duration.ofHours(1);

  /** How often a stream checks that its token is still active (revoked ones end within this). */
  static final Duration TOKEN_CHECK_INTERVAL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(DeploymentStreams.class);

  private final Tenancy tenancy;
  private final Deployments deployments;
  private final JsonMapper json;
  private final Clock clock;
  private final ActiveTokens activeTokens;
  private final Set<DeploymentStream> open = ConcurrentHashMap.newKeySet();
  private final Map<UUID, AtomicInteger> perOrg = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean running;
  private final ExecutorService senders =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("deploy-sse-", 0).factory());
  // One per start: a stopped context (a paused test context, too) can be started again.
  private volatile @Nullable ScheduledExecutorService poller;

  DeploymentStreams(
      Tenancy tenancy,
      Deployments deployments,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters,
      ActiveTokens activeTokens) {
    this.activeTokens = activeTokens;
    this.tenancy = tenancy;
    this.deployments = deployments;
    this.json = json;
    this.clock = clock;
    Gauge.builder("syntra.deploy.event_streams.open", open, Set::size)
        .description("Open deployment event streams (SSE)")
        .register(meters);
    FunctionCounter.builder("syntra.deploy.event_streams.refused", refused, AtomicLong::get)
        .description("Deployment event streams refused: too many open (organization or server)")
        .register(meters);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    long millis = POLL_INTERVAL.toMillis();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("deploy-sse-poll").daemon().factory());
    timer.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
    poller = timer;
    running = true;
  }

  /** Ends every open stream and refuses new ones; clients reconnect to another node. */
  @Override
  public synchronized void stop() {
    running = false;
    ScheduledExecutorService timer = poller;
    if (timer != null) {
      timer.shutdownNow();
      poller = null;
    }
    open.forEach(DeploymentStream::close);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * Opens a stream of {@code deploymentId}'s events after {@code afterSeq} (0 for all), for as long
   * as the API token {@code tokenId} stays active. The caller has checked the deployment exists in
   * {@code orgId} and may be read.
   *
   * @throws ApiException 429 when the organization has too many open streams
   */
  SseEmitter open(UUID orgId, UUID tokenId, UUID deploymentId, long afterSeq) {
    if (!running) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "the server is shutting down");
    }
    if (open.size() >= MAX_STREAMS) {
      refused.incrementAndGet();
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "too_many_streams",
          "this server has " + MAX_STREAMS + " open deployment event streams; retry later");
    }
    // Counted inside compute so a concurrent release cannot drop the counter being incremented.
    boolean[] admitted = {false};
    perOrg.compute(
        orgId,
        (org, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          if (c.get() < MAX_STREAMS_PER_ORG) {
            c.incrementAndGet();
            admitted[0] = true;
          }
          return c.get() == 0 ? null : c;
        });
    if (!admitted[0]) {
      refused.incrementAndGet();
      throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "too_many_streams",
          "the organization has "
              + MAX_STREAMS_PER_ORG
              + " open deployment event streams; close some first");
    }
    SseEmitter emitter = new SseEmitter(MAX_LIFETIME.toMillis());
    DeploymentStream stream =
        new DeploymentStream(
            orgId,
            tokenId,
            deploymentId,
            afterSeq,
            emitter,
            tenancy,
            deployments,
            json,
            clock,
            this);
    emitter.onCompletion(() -> release(stream));
    emitter.onTimeout(stream::close);
    emitter.onError(error -> release(stream));
    open.add(stream);
    senders.execute(stream::pump);
    return emitter;
  }

  /** Nudges the streams of {@code deploymentId}: it changed (call after the commit). */
  void changed(UUID deploymentId) {
    for (DeploymentStream stream : open) {
      if (stream.deploymentId().equals(deploymentId)) {
        submit(stream);
      }
    }
  }

  void release(DeploymentStream stream) {
    if (open.remove(stream)) {
      perOrg.computeIfPresent(
          stream.orgId(), (org, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  @Override
  public void close() {
    stop();
    senders.shutdown();
    try {
      if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
        senders.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      senders.shutdownNow();
    }
  }

  private void pollAll() {
    try {
      open.forEach(this::submit);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      log.warn("Polling deployment event streams failed", t);
    }
  }

  private void submit(DeploymentStream stream) {
    try {
      senders.execute(stream::pump);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stream.close(); // shutting down
    }
  }

  /** Whether a stream's token still authenticates (revoked, expired or left: it ends). */
  boolean tokenActive(Handle h, UUID orgId, UUID tokenId, Instant now) {
    return activeTokens.isActive(h, orgId, tokenId, now);
  }
}
