package dev.syntra.server.deploy;

import dev.syntra.server.db.Tenancy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client's stream of a deployment's events. {@link #pump} sends what is new; calls may come
 * from any thread at any time: one runs at a time and a call during a run makes it read again.
 *
 * <p>The stream lives only as long as the API token that opened it: every {@link
 * DeploymentStreams#TOKEN_CHECK_INTERVAL} it checks that the token is still active (not revoked,
 * not expired, its user still a member) and ends when it is not.
 */
final class DeploymentStream {
  /** The SSE event name of a deployment event; its id is the event's {@code seq}. */
  static final String EVENT = "deployment_event";

  /** The last SSE event, once the deployment has finished: {@code {"status": "running"}}. */
  static final String END = "end";

  private final UUID orgId;
  private final UUID tokenId;
  private final UUID deploymentId;
  private final SseEmitter emitter;
  private final Tenancy tenancy;
  private final Deployments deployments;
  private final JsonMapper json;
  private final Clock clock;
  private final DeploymentStreams owner;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean closed;
  private long lastSeq;
  private Instant lastWrite;
  private Instant tokenCheckedAt;

  private record Batch(
      boolean tokenActive, Optional<String> status, List<DeploymentEventView> events) {}

  DeploymentStream(
      UUID orgId,
      UUID tokenId,
      UUID deploymentId,
      long afterSeq,
      SseEmitter emitter,
      Tenancy tenancy,
      Deployments deployments,
      JsonMapper json,
      Clock clock,
      DeploymentStreams owner) {
    this.orgId = orgId;
    this.tokenId = tokenId;
    this.deploymentId = deploymentId;
    this.lastSeq = afterSeq;
    this.emitter = emitter;
    this.tenancy = tenancy;
    this.deployments = deployments;
    this.json = json;
    this.clock = clock;
    this.owner = owner;
    this.lastWrite = clock.instant();
    this.tokenCheckedAt = lastWrite;
  }

  UUID orgId() {
    return orgId;
  }

  UUID deploymentId() {
    return deploymentId;
  }

  /** Sends new events; completes the stream after the deployment's last one. */
  void pump() {
    pending.set(true);
    while (pending.get() && !closed && busy.compareAndSet(false, true)) {
      try {
        while (pending.getAndSet(false) && !closed) {
          sendNew();
        }
      } catch (IOException | IllegalStateException e) {
        close(); // the client went away
      } catch (RuntimeException e) {
        close();
        throw e;
      } finally {
        busy.set(false);
      }
    }
  }

  void close() {
    if (!closed) {
      closed = true;
      owner.release(this);
      try {
        emitter.complete();
      } catch (IllegalStateException e) {
        // already completed
      }
    }
  }

  private void sendNew() throws IOException {
    Instant checkTime = clock.instant();
    boolean checkToken =
        !Duration.between(tokenCheckedAt, checkTime)
            .minus(DeploymentStreams.TOKEN_CHECK_INTERVAL)
            .isNegative();
    // Status first, then events: a finished status guarantees its last event is visible too.
    Batch batch =
        tenancy.inOrg(
            orgId,
            null,
            h ->
                checkToken && !owner.tokenActive(h, orgId, tokenId, checkTime)
                    ? new Batch(false, Optional.empty(), List.of())
                    : new Batch(
                        true,
                        deployments.status(h, orgId, deploymentId),
                        deployments.events(h, orgId, deploymentId, lastSeq)));
    if (!batch.tokenActive()) {
      close(); // revoked or expired: the client must authenticate again to go on
      return;
    }
    if (checkToken) {
      tokenCheckedAt = checkTime;
    }
    for (DeploymentEventView event : batch.events()) {
      emitter.send(
          SseEmitter.event()
              .id(Long.toString(event.seq()))
              .name(EVENT)
              .data(json.writeValueAsString(event)));
      lastSeq = event.seq();
      lastWrite = clock.instant();
    }
    boolean finished = batch.status().map(DeploymentView::isTerminal).orElse(true);
    if (finished && batch.events().size() < Deployments.EVENT_PAGE) {
      emitter.send(
          SseEmitter.event()
              .name(END)
              .data(json.writeValueAsString(Map.of("status", batch.status().orElse("deleted")))));
      close();
      return;
    }
    if (batch.events().size() >= Deployments.EVENT_PAGE) {
      pending.set(true); // more to read
    }
    Instant now = clock.instant();
    if (!Duration.between(lastWrite, now).minus(DeploymentStreams.KEEP_ALIVE).isNegative()) {
      emitter.send(SseEmitter.event().comment("keep-alive"));
      lastWrite = now;
    }
  }
}
