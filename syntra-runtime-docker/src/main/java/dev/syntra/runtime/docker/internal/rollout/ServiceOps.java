package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.ProjectNetworks;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traefik.CanaryRouting;
import dev.syntra.runtime.docker.internal.traffic.ServiceTraffic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale, restart and stop of a deployed service, under its lock. New replicas are health-gated
 * before they take traffic; replicas that go away are taken out of the proxy, drained and stopped
 * gracefully first. Replicas added later run the image digest of their deployment, not whatever its
 * tag points to now.
 */
public final class ServiceOps {
  private static final Logger log = LoggerFactory.getLogger(ServiceOps.class);

  private final ServiceState state;
  private final ReplicaFactory factory;
  private final HealthGate health;
  private final CanaryRouting canaryRouting;
  private final ImagePuller puller;
  private final ProjectNetworks networks;

  public ServiceOps(
      ServiceState state,
      ReplicaFactory factory,
      HealthGate health,
      CanaryRouting canaryRouting,
      ImagePuller puller,
      ProjectNetworks networks) {
    this.state = state;
    this.factory = factory;
    this.health = health;
    this.canaryRouting = canaryRouting;
    this.puller = puller;
    this.networks = networks;
  }

  /** Changes the number of running replicas of the stable version to {@code replicas}. */
  public void scale(ManagedService ms, int replicas) throws InterruptedException {
    if (ms.canarySpec() != null) {
      throw new RuntimeAdapterException.Conflict(
          ms.service() + " has a canary in progress; promote or abort it before scaling", null);
    }
    List<Replica> all = state.replicas(ms.service());
    if (all.isEmpty() && ms.stableSpec() == null) {
      throw new RuntimeAdapterException.ServiceNotFound(ms.service());
    }
    String stableId = ServiceState.split(all, ms.stableId(), null).stable();
    List<Replica> stable = ofDeployment(all, stableId);
    List<Replica> running = stable.stream().filter(Replica::running).toList();
    if (replicas > running.size()) {
      DeploySpec spec = pinnedSpec(ms, stable);
      String digest = digestOf(stable);
      int next = stable.stream().mapToInt(Replica::index).max().orElse(-1) + 1;
      List<Replica> added = new ArrayList<>();
      try {
        for (int i = running.size(); i < replicas; i++) {
          Replica r = factory.start(spec, next++, ReplicaFactory.ROLE_ACTIVE, digest);
          added.add(r);
          health.await(r, spec.healthCheck());
          ms.traffic().route(DockerRollout.concat(ms.traffic().stable(), List.of(r)));
        }
      } catch (RuntimeException e) {
        List<String> ids = added.stream().map(Replica::id).toList();
        ms.traffic()
            .route(ms.traffic().stable().stream().filter(r -> !ids.contains(r.id())).toList());
        ms.traffic().drain(added);
        for (Replica r : added) {
          try {
            factory.remove(r.id());
          } catch (RuntimeException cleanup) {
            e.addSuppressed(cleanup);
          }
        }
        throw e;
      }
    } else if (replicas < running.size()) {
      List<Replica> victims =
          running.stream()
              .sorted(Comparator.comparingInt(Replica::index).reversed())
              .limit(running.size() - replicas)
              .toList();
      ms.retire(victims, true);
    }
    if (replicas == 0) {
      ms.removeAll(stable.stream().filter(r -> !r.running()).toList());
    }
    ms.desired(replicas);
    log.info("{}: scaled to {} replicas", ms.service(), replicas);
  }

  /**
   * Restarts every replica one at a time, each out of the proxy while it restarts and health-gated
   * before it takes traffic again. A service with a single replica gets a new replica first (so it
   * stays available) when its spec is in the history; otherwise it is restarted in place.
   */
  public void restart(ManagedService ms) throws InterruptedException {
    List<Replica> all = state.replicas(ms.service());
    if (all.isEmpty()) {
      throw new RuntimeAdapterException.ServiceNotFound(ms.service());
    }
    DeploySpec canarySpec = ms.canarySpec();
    ServiceState.Split split =
        ServiceState.split(
            all, ms.stableId(), canarySpec == null ? null : canarySpec.deploymentId());
    List<Replica> stable = ofDeployment(all, split.stable());
    List<Replica> canaries = ofDeployment(all, split.canary());
    if (stable.size() == 1 && canaries.isEmpty() && ms.stableSpec() != null) {
      replace(ms, stable.get(0), stable);
      return;
    }
    for (Replica r : stable) {
      restartInPlace(ms, r, ms.stableHealthCheck());
    }
    for (Replica r : canaries) {
      restartInPlace(ms, r, canarySpec == null ? null : canarySpec.healthCheck());
    }
  }

  /**
   * Stops and removes every replica, closes the published ports, forgets the service and removes
   * the project network when this was the project's last service.
   */
  public void stop(ManagedService ms) throws InterruptedException {
    List<Replica> all = state.replicas(ms.service());
    canaryRouting.remove(ms.service());
    ms.retire(all.stream().filter(Replica::running).toList(), true);
    ms.removeAll(all.stream().filter(r -> !r.running()).toList());
    ms.retire();
    networks.removeIfUnused(ms.service());
    log.info("{}: stopped ({} containers removed)", ms.service(), all.size());
  }

  private void replace(ManagedService ms, Replica old, List<Replica> deployment)
      throws InterruptedException {
    DeploySpec spec = pinnedSpec(ms, deployment);
    int next = deployment.stream().mapToInt(Replica::index).max().orElse(-1) + 1;
    Replica fresh = factory.start(spec, next, ReplicaFactory.ROLE_ACTIVE, digestOf(deployment));
    try {
      health.await(fresh, spec.healthCheck());
    } catch (RuntimeException e) {
      factory.remove(fresh.id());
      throw e;
    }
    ms.traffic().route(List.of(fresh));
    ms.retire(List.of(old), true);
  }

  private void restartInPlace(ManagedService ms, Replica r, @Nullable HealthCheck check)
      throws InterruptedException {
    ServiceTraffic t = ms.traffic();
    boolean canary = t.canary().stream().anyMatch(x -> x.id().equals(r.id()));
    List<Replica> stable = t.stable().stream().filter(x -> !x.id().equals(r.id())).toList();
    List<Replica> canaries = t.canary().stream().filter(x -> !x.id().equals(r.id())).toList();
    int weight = t.canaryWeightPercent();
    t.route(stable, canaries, weight);
    t.drain(List.of(r));
    Replica fresh = factory.restart(r);
    health.await(fresh, check);
    if (canary) {
      t.route(stable, DockerRollout.concat(canaries, List.of(fresh)), weight);
    } else {
      t.route(DockerRollout.concat(stable, List.of(fresh)), canaries, weight);
    }
  }

  /**
   * The stable spec with its image pinned to the digest its replicas run, when that digest is
   * present locally (or pullable); the tag otherwise.
   */
  private DeploySpec pinnedSpec(ManagedService ms, List<Replica> deployment) {
    DeploySpec base = ms.stableSpec();
    if (base == null) {
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL,
          "cannot add replicas to "
              + ms.service()
              + ": its deployment "
              + ms.stableId()
              + " is not in the local deploy history; deploy it again");
    }
    String digest = digestOf(deployment);
    if (!digest.startsWith("sha256:")) {
      return base;
    }
    String pinned = ImageReference.parse(base.image()).name() + "@" + digest;
    try {
      puller.pull(pinned, base.registryAuth());
      return DockerSpecs.withIdentity(base, base.deploymentId(), pinned, base.strategy());
    } catch (RuntimeAdapterException e) {
      log.info(
          "{}: cannot pin {} ({}); using {}", ms.service(), pinned, e.getMessage(), base.image());
      return base;
    }
  }

  private static String digestOf(List<Replica> deployment) {
    for (Replica r : deployment) {
      if (r.imageDigest() != null) {
        return r.imageDigest();
      }
    }
    return "unknown";
  }

  private static List<Replica> ofDeployment(List<Replica> all, @Nullable String deploymentId) {
    if (deploymentId == null) {
      return List.of();
    }
    return all.stream()
        .filter(r -> r.deploymentId().equals(deploymentId))
        .sorted(Comparator.comparingInt(Replica::index))
        .toList();
  }
}
