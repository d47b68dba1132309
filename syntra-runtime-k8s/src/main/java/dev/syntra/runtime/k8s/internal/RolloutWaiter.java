package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Follows a rollout of one slot by polling its pods until exactly the wanted number of ready pods
 * of the wanted revision run and nothing else does. Fails fast, with the pod's reason, on a pull
 * failure, a crash, a container that cannot be created, or a readiness probe that keeps failing
 * beyond its own budget (counted from when this waiter first saw the container running, so clock
 * skew between agent and cluster does not matter).
 */
public final class RolloutWaiter {
  private final Cluster cluster;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration timeout;

  public RolloutWaiter(Cluster cluster, Clock clock, Duration pollInterval, Duration timeout) {
    this.cluster = cluster;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.timeout = timeout;
  }

  /**
   * Waits for {@code replicas} ready pods of {@code revision} in {@code slot} and no other pod
   * there. {@code revision} null means "any revision" (scale); {@code progress} may be null.
   */
  public void await(
      ServiceRef service,
      Slot slot,
      @Nullable String revision,
      int replicas,
      String image,
      @Nullable Progress progress) {
    Instant deadline = clock.instant().plus(timeout);
    Map<String, Instant> runningSince = new HashMap<>();
    int reportedReady = -1;
    String lastState = "no pod yet";
    while (true) {
      List<Pod> pods = cluster.pods(service, slot);
      int ready = 0;
      int current = 0;
      int others = 0;
      for (Pod pod : pods) {
        PodState state = new PodState(pod);
        if (revision != null && !Objects.equals(revision, state.revision())) {
          others++;
          continue;
        }
        current++;
        check(state, image, runningSince);
        if (state.ready()) {
          ready++;
        }
      }
      lastState = ready + "/" + replicas + " ready, " + current + " new, " + others + " old pods";
      if (progress != null && ready != reportedReady && replicas > 0) {
        progress.report(
            DeployPhase.HEALTH_CHECKING,
            "replica " + Math.min(ready, replicas) + "/" + replicas + " healthy");
        reportedReady = ready;
      }
      if (ready == replicas && current == replicas && others == 0) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new RuntimeAdapterException.Timeout(
            "rollout of "
                + service
                + " did not finish within "
                + timeout.toSeconds()
                + " s ("
                + lastState
                + ")");
      }
      sleep();
    }
  }

  private void check(PodState state, String image, Map<String, Instant> runningSince) {
    String waiting = state.waitingReason();
    if (waiting != null && PodState.PULL_FAILURES.contains(waiting)) {
      throw pullFailure(image, waiting, state.waitingDetail());
    }
    if (waiting != null && PodState.CONFIG_FAILURES.contains(waiting)) {
      throw new RuntimeAdapterException.InvalidSpec(
          "replica " + state.name() + " cannot start: " + state.waitingDetail());
    }
    if (state.crashed()) {
      String exit = state.lastExit();
      String detail = state.waitingDetail();
      throw new RuntimeAdapterException.HealthCheckFailed(
          "replica "
              + state.name()
              + (exit == null ? " crashed" : " " + exit)
              + (detail == null ? "" : " [" + detail + "]")
              + "; the new version never became healthy");
    }
    Probe probe = state.readinessProbe();
    if (!state.running() || state.ready() || probe == null) {
      return;
    }
    Instant since = runningSince.computeIfAbsent(state.name(), n -> clock.instant());
    Duration budget = PodState.budget(probe);
    if (Duration.between(since, clock.instant()).compareTo(budget) > 0) {
      throw new RuntimeAdapterException.HealthCheckFailed(
          "replica "
              + state.name()
              + " failed its health check ("
              + describe(probe)
              + ") for "
              + budget.toSeconds()
              + " s; the new version never became healthy");
    }
  }

  static RuntimeAdapterException pullFailure(String image, String reason, @Nullable String detail) {
    String text = detail == null ? reason : detail;
    String lower = text.toLowerCase(Locale.ROOT);
    if ("InvalidImageName".equals(reason)) {
      return new RuntimeAdapterException.InvalidSpec(
          "image '" + image + "' is not a valid reference: " + text);
    }
    if (lower.contains("not found")
        || lower.contains("manifest unknown")
        || lower.contains("does not exist")
        || lower.contains("404")) {
      return new RuntimeAdapterException.ImageNotFound(image, null);
    }
    if (lower.contains("unauthorized")
        || lower.contains("authentication required")
        || lower.contains("denied")) {
      return new RuntimeAdapterException.ImagePullFailed(
          image, "the registry refused the credentials (" + text + ")", null);
    }
    return new RuntimeAdapterException.ImagePullFailed(image, text, null);
  }

  private static String describe(Probe probe) {
    if (probe.getHttpGet() != null) {
      return "GET "
          + probe.getHttpGet().getPath()
          + " on port "
          + probe.getHttpGet().getPort().getIntVal();
    }
    if (probe.getTcpSocket() != null) {
      return "TCP connect to port " + probe.getTcpSocket().getPort().getIntVal();
    }
    return "readiness probe";
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeAdapterException.Timeout("interrupted while waiting for a rollout");
    }
  }

  /** Polls until {@code done} or the timeout; for waits that are not rollouts (stop). */
  public boolean poll(java.util.function.BooleanSupplier done, Duration limit) {
    Instant deadline = clock.instant().plus(limit);
    while (!done.getAsBoolean()) {
      if (clock.instant().isAfter(deadline)) {
        return false;
      }
      sleep();
    }
    return true;
  }
}
