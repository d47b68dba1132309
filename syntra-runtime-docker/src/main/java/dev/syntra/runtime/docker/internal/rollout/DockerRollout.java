package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traefik.CanaryRouting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deploy strategies on one service, under its lock:
 *
 * <ul>
 *   <li>{@code INSTANT}: take the old version out of traffic and stop it, start the new replicas,
 *       health-gate them, route to them;
 *   <li>{@code ROLLING}: one replica at a time: start a new one, health-gate it, route to it, then
 *       retire an old one (the other way round when {@code maxSurge} is 0);
 *   <li>{@code BLUE_GREEN}: start every new replica, health-gate all, switch traffic in one step,
 *       retire the old version;
 *   <li>{@code CANARY}: start one canary replica, health-gate it, then give it {@code
 *       canaryWeightPercent} of the traffic (proxy weights for published ports, Traefik file config
 *       for domains) until {@link #promote} or {@link #abort}.
 * </ul>
 *
 * Retiring means: out of the proxy, drained, stopped gracefully; old replicas are only removed once
 * the new version serves. On any failure the old version is brought back (stopped replicas are
 * started and health-gated again), every new container is removed (found by label), and the failure
 * is rethrown: a health failure as {@link RuntimeAdapterException.HealthCheckFailed} after
 * reporting {@link DeployPhase#ROLLED_BACK}, anything else after {@link DeployPhase#FAILED}.
 */
public final class DockerRollout {
  private static final Logger log = LoggerFactory.getLogger(DockerRollout.class);

  private final ImagePuller puller;
  private final ServiceState state;
  private final ReplicaFactory factory;
  private final HealthGate health;
  private final CanaryRouting canaryRouting;
  private final String daemon;

  /**
   * @param daemon the daemon address, for messages
   */
  public DockerRollout(
      ImagePuller puller,
      ServiceState state,
      ReplicaFactory factory,
      HealthGate health,
      CanaryRouting canaryRouting,
      String daemon) {
    this.puller = puller;
    this.state = state;
    this.factory = factory;
    this.health = health;
    this.canaryRouting = canaryRouting;
    this.daemon = daemon;
  }

  /**
   * Deploys {@code spec} on {@code ms} (whose lock the caller holds).
   *
   * @return the image digest the new replicas run
   */
  public String deploy(ManagedService ms, DeploySpec spec, Progress progress) {
    try {
      checkNotRunningAlready(ms, spec);
    } catch (RuntimeAdapterException e) {
      // Outside the cleanup below on purpose: the containers of this id serve and must stay.
      progress.report(DeployPhase.FAILED, e.getMessage());
      throw e;
    }
    List<HostBinding> opened = List.of();
    RolloutAttempt attempt = null;
    String digest;
    boolean canary;
    try {
      if (ms.canarySpec() != null) {
        log.info(
            "{}: deploy {} supersedes the running canary", spec.service(), spec.deploymentId());
        abort(ms, new Progress(spec.service(), spec.deploymentId(), (p, m) -> {}));
      }
      progress.report(DeployPhase.PULLING, "pulling " + spec.image());
      digest = puller.pull(spec.image(), spec.registryAuth());
      opened = ms.traffic().open(ReplicaFactory.publishedBindings(spec).keySet());
      List<Replica> all = state.replicas(spec.service());
      List<Replica> sameId =
          all.stream().filter(r -> r.deploymentId().equals(spec.deploymentId())).toList();
      ms.removeAll(sameId);
      List<Replica> old =
          all.stream().filter(r -> !r.deploymentId().equals(spec.deploymentId())).toList();
      attempt = new RolloutAttempt(factory, health, canaryRouting, ms, spec, digest, progress, old);
      canary = attempt.run();
    } catch (RuntimeException | InterruptedException e) {
      throw fail(ms, spec, progress, attempt, opened, e);
    }
    // Traffic is switched: nothing from here on may tear down the version that now serves.
    attempt.finish(canary);
    return digest;
  }

  /** Makes the canary of {@code ms} the only version: scales it up, switches, retires the old. */
  public void promote(ManagedService ms, Progress progress) throws InterruptedException {
    DeploySpec spec = requireCanary(ms);
    List<Replica> canaries = new ArrayList<>(ms.traffic().canary());
    List<Replica> stable = ms.traffic().stable();
    int weight = ms.traffic().canaryWeightPercent();
    String digest = canaries.isEmpty() ? "unknown" : String.valueOf(canaries.get(0).imageDigest());
    int next = canaries.stream().mapToInt(Replica::index).max().orElse(-1) + 1;
    List<Replica> extra = new ArrayList<>();
    try {
      while (canaries.size() + extra.size() < spec.replicas()) {
        progress.report(DeployPhase.CREATING, "replica " + (canaries.size() + extra.size() + 1));
        Replica r = factory.start(spec, next++, ReplicaFactory.ROLE_ACTIVE, digest);
        extra.add(r);
        progress.report(DeployPhase.HEALTH_CHECKING, r.name());
        health.await(r, spec.healthCheck());
        ms.traffic().route(stable, concat(canaries, extra), weight);
      }
    } catch (RuntimeException e) {
      ms.traffic().route(stable, canaries, weight);
      try {
        ms.traffic().drain(extra);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        e.addSuppressed(ie);
      }
      extra.forEach(r -> removeQuietly(r, e));
      throw e;
    }
    List<Replica> serving = concat(canaries, extra);
    progress.report(DeployPhase.SWITCHING, "all traffic to " + spec.deploymentId());
    ms.traffic().route(serving);
    // The canary serves alone from here on: a later failure must not make it the one to remove.
    ms.nowStable(spec);
    if (!spec.domains().isEmpty()) {
      canaryRouting.write(spec, List.of(), urls(serving, spec), 100);
      canaryRouting.awaitReload();
    }
    List<Replica> old =
        state.replicas(spec.service()).stream()
            .filter(r -> !r.deploymentId().equals(spec.deploymentId()))
            .toList();
    ms.retireQuietly(old, true);
    try {
      canaryRouting.remove(spec.service());
      ms.traffic().retainOnly(ReplicaFactory.publishedBindings(spec).keySet());
    } catch (RuntimeException e) {
      log.warn("{}: cleanup after promoting {} failed: {}", spec.service(), spec.deploymentId(), e);
    }
    progress.report(DeployPhase.RUNNING, spec.deploymentId() + " promoted");
  }

  /** Removes the canary of {@code ms}; the stable version gets all traffic again. */
  public void abort(ManagedService ms, Progress progress) throws InterruptedException {
    DeploySpec spec = requireCanary(ms);
    List<Replica> all = state.replicas(spec.service());
    // From the containers, not the routing: a promote that failed halfway routes to the canary.
    List<Replica> stable = ManagedService.running(all, ms.stableId());
    progress.report(DeployPhase.SWITCHING, "all traffic back to " + ms.stableId());
    ms.traffic().route(stable);
    if (!spec.domains().isEmpty()) {
      if (!stable.isEmpty()) {
        canaryRouting.write(spec, urls(stable, spec), List.of(), 0);
        canaryRouting.awaitReload();
      }
      canaryRouting.remove(spec.service());
    }
    List<Replica> canaries =
        all.stream().filter(r -> r.deploymentId().equals(spec.deploymentId())).toList();
    ms.retire(canaries, true);
    ms.canaryEnded();
    Set<HostBinding> keep = new LinkedHashSet<>();
    stable.forEach(r -> r.published().keySet().forEach(b -> keep.add(Replica.parseBinding(b))));
    ms.traffic().retainOnly(keep);
    progress.report(DeployPhase.ROLLED_BACK, "canary " + spec.deploymentId() + " aborted");
  }

  private DeploySpec requireCanary(ManagedService ms) {
    DeploySpec spec = ms.canarySpec();
    if (spec == null) {
      throw new RuntimeAdapterException.Conflict(ms.service() + " has no canary in progress", null);
    }
    return spec;
  }

  private void checkNotRunningAlready(ManagedService ms, DeploySpec spec) {
    DeploySpec canary = ms.canarySpec();
    if (canary != null && canary.deploymentId().equals(spec.deploymentId())) {
      throw new RuntimeAdapterException.Conflict(
          "deployment "
              + spec.deploymentId()
              + " of "
              + spec.service()
              + " already runs as a canary; promote or abort it",
          null);
    }
    if (spec.deploymentId().equals(ms.stableId()) && !ms.traffic().stable().isEmpty()) {
      throw new RuntimeAdapterException.Conflict(
          "deployment "
              + spec.deploymentId()
              + " of "
              + spec.service()
              + " is already running; deploy with a new deployment id, or use scale or restart",
          null);
    }
  }

  private RuntimeAdapterException fail(
      ManagedService ms,
      DeploySpec spec,
      Progress progress,
      RolloutAttempt attempt,
      List<HostBinding> opened,
      Exception failure) {
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    RuntimeAdapterException mapped =
        failure instanceof InterruptedException
            ? new RuntimeAdapterException(
                RuntimeErrorCode.INTERNAL,
                "deploy " + spec.deploymentId() + " of " + spec.service() + " was interrupted",
                failure)
            : DockerErrors.map(
                failure, "deploy " + spec.deploymentId() + " of " + spec.service(), daemon);
    boolean restored = attempt == null || attempt.restoredCleanly();
    removeOrphans(spec, mapped);
    try {
      ms.traffic().closeOnly(opened);
    } catch (RuntimeException e) {
      mapped.addSuppressed(e);
    }
    boolean rolledBack = mapped instanceof RuntimeAdapterException.HealthCheckFailed && restored;
    progress.report(
        rolledBack ? DeployPhase.ROLLED_BACK : DeployPhase.FAILED,
        mapped.getMessage() + (rolledBack ? "; the previous version keeps serving" : ""));
    log.info("{}: deploy {} failed: {}", spec.service(), spec.deploymentId(), mapped.getMessage());
    return mapped;
  }

  /** Removes every container of the failed deployment, found by its labels. */
  private void removeOrphans(DeploySpec spec, RuntimeAdapterException failure) {
    try {
      for (Replica r : state.replicas(spec.service())) {
        if (r.deploymentId().equals(spec.deploymentId())) {
          factory.remove(r.id());
        }
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      log.warn(
          "{}: cannot remove the containers of failed deployment {}: {}",
          spec.service(),
          spec.deploymentId(),
          e.getMessage());
    }
  }

  private void removeQuietly(Replica r, Exception failure) {
    try {
      factory.remove(r.id());
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  static List<String> urls(List<Replica> replicas, DeploySpec spec) {
    int port = spec.ports().isEmpty() ? 80 : spec.ports().get(0).containerPort();
    return replicas.stream().map(r -> "http://" + r.name() + ":" + port).toList();
  }

  static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
