package dev.syntra.runtime.docker.internal.state;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the replicas of services from container labels (the daemon is the source of truth) and
 * turns them into {@link ServiceStatus}. Only containers labelled {@link Labels#MANAGED} are seen.
 * Thread-safe.
 */
public final class ServiceState {
  private static final Duration STATUS_PROBE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Which deployments of a service play which part.
   *
   * @param stable the deployment serving (most of) the traffic, or null if none runs
   * @param canary the canary deployment, or null
   * @param others leftovers of interrupted operations
   */
  public record Split(@Nullable String stable, @Nullable String canary, Set<String> others) {}

  /**
   * What the adapter knows beyond labels.
   *
   * @param desiredReplicas replicas asked for, or -1 when unknown
   * @param healthCheck the stable version's health check, or null
   * @param busy whether an operation on the service runs now
   * @param stoppedOnPurpose whether the service was scaled to zero
   */
  public record Known(
      int desiredReplicas,
      @Nullable HealthCheck healthCheck,
      boolean busy,
      boolean stoppedOnPurpose) {}

  private final DockerClient docker;
  private final String daemon;
  private final HealthGate health;

  public ServiceState(DockerClient docker, String daemon, HealthGate health) {
    this.docker = docker;
    this.daemon = daemon;
    this.health = health;
  }

  /** Every replica of {@code service}, running or not, ordered by deployment and index. */
  public List<Replica> replicas(ServiceRef service) {
    List<Container> containers;
    try {
      containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Labels.filter(service))
              .exec();
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "list the containers of " + service, daemon);
    }
    List<Replica> out = new ArrayList<>();
    for (Container c : containers) {
      Replica r = fromContainer(c);
      if (r != null) {
        out.add(r);
      }
    }
    out.sort(
        Comparator.comparingLong(Replica::createdEpochSeconds)
            .thenComparing(Replica::deploymentId)
            .thenComparingInt(Replica::index));
    return out;
  }

  /** Every service that has at least one managed container. */
  public Set<ServiceRef> services() {
    List<Container> containers;
    try {
      containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(Labels.MANAGED, "true"))
              .exec();
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "list managed containers", daemon);
    }
    Set<ServiceRef> services = new LinkedHashSet<>();
    for (Container c : containers) {
      Replica r = fromContainer(c);
      if (r != null) {
        services.add(r.service());
      }
    }
    return services;
  }

  /**
   * Decides which deployment is stable and which is a canary. Hints (what the adapter remembers)
   * win when their containers exist; otherwise a deployment made only of canary-role replicas next
   * to another deployment is the canary, and the stable one is the deployment with the most running
   * replicas (the newest on a tie).
   */
  public static Split split(
      List<Replica> replicas, @Nullable String stableHint, @Nullable String canaryHint) {
    Map<String, List<Replica>> byDeployment = new LinkedHashMap<>();
    for (Replica r : replicas) {
      byDeployment.computeIfAbsent(r.deploymentId(), k -> new ArrayList<>()).add(r);
    }
    String canary = canaryHint != null && byDeployment.containsKey(canaryHint) ? canaryHint : null;
    if (canary == null && canaryHint == null && byDeployment.size() > 1) {
      for (var e : byDeployment.entrySet()) {
        boolean allCanary =
            e.getValue().stream().allMatch(r -> ReplicaFactory.ROLE_CANARY.equals(r.role()));
        if (allCanary) {
          canary = e.getKey();
        }
      }
    }
    String stable =
        stableHint != null && byDeployment.containsKey(stableHint) && !stableHint.equals(canary)
            ? stableHint
            : null;
    if (stable == null) {
      long bestRunning = -1;
      long bestCreated = -1;
      for (var e : byDeployment.entrySet()) {
        if (e.getKey().equals(canary)) {
          continue;
        }
        long running = e.getValue().stream().filter(Replica::running).count();
        long created =
            e.getValue().stream().mapToLong(Replica::createdEpochSeconds).max().orElse(0);
        if (running > bestRunning || (running == bestRunning && created >= bestCreated)) {
          stable = e.getKey();
          bestRunning = running;
          bestCreated = created;
        }
      }
    }
    Set<String> others = new LinkedHashSet<>(byDeployment.keySet());
    others.remove(stable);
    others.remove(canary);
    return new Split(stable, canary, others);
  }

  /** The status of {@code service}, probing running replicas when a health check is known. */
  public ServiceStatus status(
      ServiceRef service, Split split, List<Replica> replicas, Known known) {
    if (replicas.isEmpty()) {
      ServiceStatus.State state =
          known.stoppedOnPurpose() ? ServiceStatus.State.STOPPED : ServiceStatus.State.NOT_FOUND;
      return new ServiceStatus(service, state, null, 0, List.of(), null);
    }
    List<ReplicaStatus> statuses = new ArrayList<>();
    int stableReady = 0;
    int running = 0;
    int stableCount = 0;
    String firstProblem = null;
    for (Replica r : replicas) {
      ReplicaStatus s = replicaStatus(r, known.healthCheck());
      statuses.add(s);
      boolean ready =
          s.state() == ReplicaStatus.State.RUNNING
              && (s.health() == ReplicaStatus.Health.HEALTHY
                  || s.health() == ReplicaStatus.Health.NONE);
      if (s.state() == ReplicaStatus.State.RUNNING) {
        running++;
      }
      if (r.deploymentId().equals(split.stable())) {
        stableCount++;
        if (ready) {
          stableReady++;
        } else if (firstProblem == null) {
          firstProblem = s.id() + ": " + (s.reason() == null ? "not ready" : s.reason());
        }
      }
    }
    int desired = known.desiredReplicas() >= 0 ? known.desiredReplicas() : stableCount;
    ServiceStatus.State state;
    String reason = null;
    if (known.busy()) {
      state = ServiceStatus.State.DEPLOYING;
    } else if (desired == 0 && running == 0) {
      state = ServiceStatus.State.STOPPED;
    } else if (running == 0) {
      state = ServiceStatus.State.FAILED;
      reason = firstProblem == null ? "no replica runs" : firstProblem;
    } else if (stableReady >= desired && firstProblem == null) {
      state = ServiceStatus.State.RUNNING;
    } else {
      state = ServiceStatus.State.DEGRADED;
      reason =
          stableReady
              + " of "
              + desired
              + " replicas ready"
              + (firstProblem == null ? "" : "; " + firstProblem);
    }
    return new ServiceStatus(service, state, split.stable(), desired, statuses, reason);
  }

  private ReplicaStatus replicaStatus(Replica r, @Nullable HealthCheck check) {
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(r.id()).exec();
    } catch (RuntimeException e) {
      if (DockerErrors.isNotFound(e)) {
        return new ReplicaStatus(
            r.name(),
            r.deploymentId(),
            ReplicaStatus.State.UNKNOWN,
            ReplicaStatus.Health.NONE,
            0,
            r.imageDigest(),
            null,
            "removed while reading status");
      }
      throw DockerErrors.map(e, "inspect container " + r.name(), daemon);
    }
    var st = c.getState();
    String status = st == null || st.getStatus() == null ? "" : st.getStatus();
    ReplicaStatus.State state =
        switch (status) {
          case "created" -> ReplicaStatus.State.CREATED;
          case "running" -> ReplicaStatus.State.RUNNING;
          case "restarting" -> ReplicaStatus.State.RESTARTING;
          case "paused", "removing" -> ReplicaStatus.State.STOPPED;
          case "exited" -> ReplicaStatus.State.EXITED;
          case "dead" -> ReplicaStatus.State.FAILED;
          default -> ReplicaStatus.State.UNKNOWN;
        };
    String reason = null;
    if (state != ReplicaStatus.State.RUNNING && st != null) {
      reason =
          Boolean.TRUE.equals(st.getOOMKilled())
              ? "killed: out of memory"
              : st.getExitCodeLong() != null ? "exited with status " + st.getExitCodeLong() : null;
    }
    ReplicaStatus.Health h = ReplicaStatus.Health.NONE;
    if (check != null) {
      if (state == ReplicaStatus.State.RUNNING) {
        Replica fresh = r.withRuntime(true, ReplicaFactory.loopbackPorts(c));
        HealthGate.Probe probe = health.probe(fresh, bounded(check));
        h = probe.healthy() ? ReplicaStatus.Health.HEALTHY : ReplicaStatus.Health.UNHEALTHY;
        if (!probe.healthy()) {
          reason = probe.detail();
        }
      } else {
        h = ReplicaStatus.Health.UNHEALTHY;
      }
    }
    int restarts = c.getRestartCount() == null ? 0 : Math.max(0, c.getRestartCount());
    return new ReplicaStatus(
        r.name(),
        r.deploymentId(),
        state,
        h,
        restarts,
        r.imageDigest(),
        state == ReplicaStatus.State.CREATED || st == null ? null : instant(st.getStartedAt()),
        reason);
  }

  private static HealthCheck bounded(HealthCheck check) {
    if (check.timeout().compareTo(STATUS_PROBE_TIMEOUT) <= 0) {
      return check;
    }
    return new HealthCheck(
        check.type(),
        check.path(),
        check.port(),
        check.interval(),
        STATUS_PROBE_TIMEOUT,
        check.retries(),
        check.startPeriod());
  }

  /** A replica from a list entry, or null if the container lacks Syntra's identity labels. */
  static @Nullable Replica fromContainer(Container c) {
    Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
    String organization = labels.get(Labels.ORGANIZATION);
    String project = labels.get(Labels.PROJECT);
    String serviceName = labels.get(Labels.SERVICE);
    String deployment = labels.get(Labels.DEPLOYMENT);
    if (!"true".equals(labels.get(Labels.MANAGED))
        || organization == null
        || project == null
        || serviceName == null
        || deployment == null) {
      return null;
    }
    ServiceRef service;
    try {
      service = new ServiceRef(organization, project, serviceName);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Map<Integer, Integer> loopback = new LinkedHashMap<>();
    if (c.getPorts() != null) {
      for (ContainerPort p : c.getPorts()) {
        if (p.getPrivatePort() != null && p.getPublicPort() != null && "tcp".equals(p.getType())) {
          loopback.putIfAbsent(p.getPrivatePort(), p.getPublicPort());
        }
      }
    }
    String name =
        c.getNames() != null && c.getNames().length > 0
            ? c.getNames()[0].replaceFirst("^/", "")
            : c.getId();
    return new Replica(
        c.getId(),
        name,
        service,
        deployment,
        ReplicaFactory.parseIndex(labels.get(Labels.REPLICA)),
        labels.getOrDefault(Labels.ROLE, ReplicaFactory.ROLE_ACTIVE),
        "running".equals(c.getState()),
        loopback,
        Replica.decodePublished(labels.get(Labels.PUBLISH)),
        labels.get(Labels.IMAGE_DIGEST),
        c.getCreated() == null ? 0 : c.getCreated());
  }

  private static @Nullable Instant instant(@Nullable String text) {
    if (text == null || text.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
