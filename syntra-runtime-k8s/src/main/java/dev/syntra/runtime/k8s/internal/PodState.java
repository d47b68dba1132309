package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.ReplicaStatus;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads one pod's container state into a {@link ReplicaStatus} and failure classes. */
public final class PodState {
  /** Waiting reasons meaning the image cannot be pulled. */
  public static final Set<String> PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  /** Waiting reasons meaning the container cannot be created from its spec. */
  public static final Set<String> CONFIG_FAILURES =
      Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final Pod pod;
  private final @Nullable ContainerStatus container;

  public PodState(Pod pod) {
    this.pod = pod;
    List<ContainerStatus> statuses =
        pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    this.container = statuses == null || statuses.isEmpty() ? null : statuses.getFirst();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  public @Nullable String revision() {
    return Cluster.label(pod, Names.REVISION);
  }

  public boolean ready() {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus()) && running();
      }
    }
    return false;
  }

  public boolean running() {
    return container != null
        && container.getState() != null
        && container.getState().getRunning() != null;
  }

  public int restarts() {
    return container == null || container.getRestartCount() == null
        ? 0
        : container.getRestartCount();
  }

  public @Nullable String waitingReason() {
    ContainerStateWaiting w = waiting();
    return w == null ? null : w.getReason();
  }

  /** The waiting reason with its message, e.g. {@code ImagePullBackOff: Back-off pulling …}. */
  public @Nullable String waitingDetail() {
    ContainerStateWaiting w = waiting();
    if (w == null || w.getReason() == null) {
      return null;
    }
    return w.getMessage() == null || w.getMessage().isBlank()
        ? w.getReason()
        : w.getReason() + ": " + w.getMessage();
  }

  /** How the container last ended, e.g. "exited with status 3 (Error)", or null. */
  public @Nullable String lastExit() {
    if (container == null) {
      return null;
    }
    ContainerStateTerminated t =
        container.getState() == null ? null : container.getState().getTerminated();
    if (t == null && container.getLastState() != null) {
      t = container.getLastState().getTerminated();
    }
    if (t == null) {
      return null;
    }
    return "exited with status "
        + t.getExitCode()
        + (t.getReason() == null ? "" : " (" + t.getReason() + ")");
  }

  /** Whether the container crashed: crash-loop back-off, or exited and restarted. */
  public boolean crashed() {
    return "CrashLoopBackOff".equals(waitingReason())
        || (restarts() > 0 && !running())
        || (container != null
            && container.getState() != null
            && container.getState().getTerminated() != null);
  }

  public @Nullable Instant startedAt() {
    if (!running()) {
      return null;
    }
    return parse(container.getState().getRunning().getStartedAt());
  }

  public @Nullable Probe readinessProbe() {
    if (pod.getSpec() == null
        || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      return null;
    }
    return pod.getSpec().getContainers().getFirst().getReadinessProbe();
  }

  /** The replica as the protocol reports it; {@code clock} dates how long a probe has failed. */
  public ReplicaStatus toReplica(Clock clock) {
    ReplicaStatus.State state = state();
    boolean probed = readinessProbe() != null;
    ReplicaStatus.Health health;
    if (ready()) {
      health = probed ? ReplicaStatus.Health.HEALTHY : ReplicaStatus.Health.NONE;
    } else if (!probed) {
      health = ReplicaStatus.Health.NONE;
    } else if (running() && failingLongerThanBudget(clock)) {
      health = ReplicaStatus.Health.UNHEALTHY;
    } else if (state == ReplicaStatus.State.RESTARTING || state == ReplicaStatus.State.FAILED) {
      health = ReplicaStatus.Health.UNHEALTHY;
    } else {
      health = ReplicaStatus.Health.STARTING;
    }
    String id = Cluster.annotation(pod, Names.DEPLOYMENT_ID, "");
    return new ReplicaStatus(
        name(),
        IDENTIFIER.matcher(id).matches() ? id : null,
        state,
        health,
        restarts(),
        digest(),
        startedAt(),
        reason(health));
  }

  private ReplicaStatus.State state() {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase)) {
      return ReplicaStatus.State.EXITED;
    }
    if ("Failed".equals(phase)) {
      return ReplicaStatus.State.FAILED;
    }
    if (running()) {
      return ReplicaStatus.State.RUNNING;
    }
    String waiting = waitingReason();
    if ("CrashLoopBackOff".equals(waiting)) {
      return ReplicaStatus.State.RESTARTING;
    }
    if (waiting != null && (PULL_FAILURES.contains(waiting) || CONFIG_FAILURES.contains(waiting))) {
      return ReplicaStatus.State.FAILED;
    }
    if (container != null
        && container.getState() != null
        && container.getState().getTerminated() != null) {
      return ReplicaStatus.State.EXITED;
    }
    return container == null ? ReplicaStatus.State.CREATED : ReplicaStatus.State.STARTING;
  }

  private @Nullable String reason(ReplicaStatus.Health health) {
    String waiting = waitingDetail();
    if (waiting != null && !"ContainerCreating".equals(waitingReason())) {
      String exit = lastExit();
      return exit == null ? waiting : waiting + " (last " + exit + ")";
    }
    if (!running() && lastExit() != null) {
      return lastExit();
    }
    if (health == ReplicaStatus.Health.UNHEALTHY && running()) {
      return "readiness probe failing";
    }
    String unschedulable = unschedulable();
    return unschedulable;
  }

  private @Nullable String unschedulable() {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        return "Unschedulable" + (c.getMessage() == null ? "" : ": " + c.getMessage());
      }
    }
    return null;
  }

  /** Running but not ready for longer than the readiness probe's failure budget. */
  public boolean failingLongerThanBudget(Clock clock) {
    Instant started = startedAt();
    Probe probe = readinessProbe();
    if (started == null || probe == null || ready()) {
      return false;
    }
    return Duration.between(started, clock.instant()).compareTo(budget(probe)) > 0;
  }

  static Duration budget(Probe probe) {
    int period = probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
    int timeout = probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds();
    int failures = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    int initial = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
    return Duration.ofSeconds(initial + (long) (period + timeout) * failures + 3);
  }

  private @Nullable String digest() {
    if (container == null || container.getImageID() == null) {
      return null;
    }
    Matcher m = DIGEST.matcher(container.getImageID());
    return m.find() ? m.group() : null;
  }

  private @Nullable ContainerStateWaiting waiting() {
    return container == null || container.getState() == null
        ? null
        : container.getState().getWaiting();
  }

  private static @Nullable Instant parse(@Nullable String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
