package dev.syntra.runtime.docker.internal.events;

import com.github.dockerjava.api.DockerClient;
import dev.syntra.protocol.runtime.RuntimeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Watches the daemon's container events of managed replicas ({@code syntra.managed=true}) and
 * reports out-of-memory kills, unexpected exits and Docker health checks turning unhealthy as
 * {@link RuntimeEvent}s. {@link EventClassifier} documents which {@code die} counts as unexpected;
 * {@link EventSubscription} documents reconnection (backoff 1 s → 30 s with jitter, resuming from
 * the last event's time), bounds and threading.
 *
 * <p>Thread-safe; each {@link #watch} is independent and owns one named thread until closed.
 */
public final class EventWatcher {
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final DockerClient docker;
  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  public EventWatcher(DockerClient docker, Clock clock) {
    this(docker, clock, INITIAL_BACKOFF, MAX_BACKOFF);
  }

  EventWatcher(DockerClient docker, Clock clock, Duration initialBackoff, Duration maxBackoff) {
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff: need 0 < initialBackoff <= maxBackoff, was "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
    this.docker = docker;
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * Starts watching from now; {@code sink} is called on the watch's thread ({@code
   * syntra-docker-events-N}) until the returned handle is closed. Returns at once, even when the
   * daemon is down (the watch then keeps reconnecting).
   */
  public AutoCloseable watch(Consumer<RuntimeEvent> sink) {
    return start(sink);
  }

  /** {@link #watch} with the concrete type, for tests and metrics. */
  EventSubscription start(Consumer<RuntimeEvent> sink) {
    EventSubscription subscription =
        new EventSubscription(docker, clock.instant(), sink, initialBackoff, maxBackoff);
    subscription.start();
    return subscription;
  }

  @Override
  public String toString() {
    return "EventWatcher[backoff=" + initialBackoff + ".." + maxBackoff + "]";
  }
}
