package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.traefik.CanaryRouting;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deploy in progress (see {@link DockerRollout} for the strategies): it remembers which new
 * replicas it started and which old ones it stopped, so that on failure it can bring the old
 * version back and take the new one out. Used by one thread under the service's lock.
 */
final class RolloutAttempt {
  private static final Logger log = LoggerFactory.getLogger(RolloutAttempt.class);

  private final ReplicaFactory factory;
  private final HealthGate health;
  private final CanaryRouting canaryRouting;
  private final ManagedService ms;
  private final DeploySpec spec;
  private final String digest;
  private final Progress progress;
  private final List<Replica> old;
  private final List<Replica> routedOld;
  private final List<Replica> stoppedOld = new ArrayList<>();
  private final List<Replica> started = new ArrayList<>();
  private final List<Replica> routedNew = new ArrayList<>();
  private boolean restoredCleanly = true;

  RolloutAttempt(
      ReplicaFactory factory,
      HealthGate health,
      CanaryRouting canaryRouting,
      ManagedService ms,
      DeploySpec spec,
      String digest,
      Progress progress,
      List<Replica> old) {
    this.factory = factory;
    this.health = health;
    this.canaryRouting = canaryRouting;
    this.ms = ms;
    this.spec = spec;
    this.digest = digest;
    this.progress = progress;
    this.old = old;
    Set<String> oldIds = new HashSet<>();
    old.forEach(r -> oldIds.add(r.id()));
    this.routedOld =
        new ArrayList<>(
            ms.traffic().stable().stream().filter(r -> oldIds.contains(r.id())).toList());
    routedOld.sort(Comparator.comparingInt(Replica::index));
  }

  /** Runs the strategy; true when it left a canary running. */
  boolean run() throws InterruptedException {
    try {
      DeployStrategy strategy = spec.strategy();
      if (strategy == DeployStrategy.CANARY && routedOld.isEmpty()) {
        log.info(
            "{}: nothing serves yet; deploying canary {} as the whole service",
            spec.service(),
            spec.deploymentId());
        strategy = DeployStrategy.BLUE_GREEN;
      }
      switch (strategy) {
        case INSTANT -> instant();
        case ROLLING -> rolling();
        case BLUE_GREEN -> blueGreen();
        case CANARY -> {
          canary();
          return true;
        }
      }
      return false;
    } catch (RuntimeException | InterruptedException e) {
      restore(e);
      throw e;
    }
  }

  void instant() throws InterruptedException {
    progress.report(DeployPhase.CREATING, "stopping the old version (instant strategy)");
    retireOld(List.copyOf(routedOld));
    startAll(ReplicaFactory.ROLE_ACTIVE);
    gateAll();
    switchTo(started);
  }

  void rolling() throws InterruptedException {
    int n = spec.replicas();
    boolean surge = spec.rollout().maxSurge() > 0;
    Deque<Replica> queue = new ArrayDeque<>(routedOld);
    for (int i = 0; i < n; i++) {
      if (!surge && !queue.isEmpty()) {
        retireOld(List.of(queue.poll()));
      }
      Replica r = startOne(i, ReplicaFactory.ROLE_ACTIVE);
      gate(r, i);
      routedNew.add(r);
      progress.report(
          DeployPhase.SWITCHING, r.name() + " takes traffic (" + (i + 1) + "/" + n + ")");
      ms.traffic().route(DockerRollout.concat(routedOld, routedNew));
      if (surge && !queue.isEmpty() && i < n - 1) {
        retireOld(List.of(queue.poll()));
      }
    }
    if (!queue.isEmpty()) {
      retireOldQuietly(List.copyOf(queue));
    }
  }

  void blueGreen() throws InterruptedException {
    startAll(ReplicaFactory.ROLE_ACTIVE);
    gateAll();
    switchTo(started);
    retireOldQuietly(List.copyOf(routedOld));
  }

  void canary() {
    Replica r = startOne(0, ReplicaFactory.ROLE_CANARY);
    gate(r, 0);
    int weight = spec.rollout().canaryWeightPercent();
    progress.report(DeployPhase.SWITCHING, weight + "% of traffic to canary " + r.name());
    routedNew.add(r);
    ms.traffic().route(routedOld, routedNew, weight);
    if (!spec.domains().isEmpty()) {
      canaryRouting.write(
          spec, DockerRollout.urls(routedOld, spec), DockerRollout.urls(routedNew, spec), weight);
    }
  }

  /**
   * After success: records the new state, then removes what the old version left. Never throws: the
   * new version serves already, so a cleanup failure is logged and its leftovers are removed by the
   * next deploy.
   */
  void finish(boolean canary) {
    if (canary) {
      ms.canaryStarted(spec);
      List<Replica> leftovers =
          old.stream()
              .filter(r -> !r.running() && !r.deploymentId().equals(ms.stableId()))
              .toList();
      ms.removeAllQuietly(leftovers);
      return;
    }
    ms.nowStable(spec);
    ms.removeAllQuietly(old);
    try {
      ms.traffic().retainOnly(ReplicaFactory.publishedBindings(spec).keySet());
    } catch (RuntimeException e) {
      log.warn("{}: cannot close unused proxies: {}", spec.service(), e.toString());
    }
  }

  private Replica startOne(int index, String role) {
    progress.report(
        DeployPhase.CREATING, "creating replica " + (index + 1) + "/" + spec.replicas());
    Replica r = factory.start(spec, index, role, digest);
    started.add(r);
    progress.report(DeployPhase.STARTING, "started " + r.name());
    return r;
  }

  private void startAll(String role) {
    for (int i = 0; i < spec.replicas(); i++) {
      startOne(i, role);
    }
  }

  private void gate(Replica r, int index) {
    progress.report(
        DeployPhase.HEALTH_CHECKING,
        "waiting for " + r.name() + " (" + (index + 1) + "/" + spec.replicas() + ")");
    health.await(r, spec.healthCheck());
  }

  private void gateAll() {
    for (int i = 0; i < started.size(); i++) {
      gate(started.get(i), i);
    }
  }

  private void switchTo(List<Replica> replicas) {
    progress.report(DeployPhase.SWITCHING, "switching traffic to " + spec.deploymentId());
    routedNew.addAll(replicas);
    ms.traffic().route(replicas);
  }

  private void retireOld(List<Replica> victims) throws InterruptedException {
    routedOld.removeAll(victims);
    stoppedOld.addAll(victims);
    ms.retire(victims, false);
  }

  /** Retires old replicas after the switch: failures are logged, never undo the deploy. */
  private void retireOldQuietly(List<Replica> victims) {
    routedOld.removeAll(victims);
    ms.retireQuietly(victims, false);
  }

  /** Brings the old version back and takes the new replicas out; records whether that worked. */
  private void restore(Exception failure) {
    // An interrupted deploy must still bring the old version back: clear the flag meanwhile.
    boolean interrupted = Thread.interrupted();
    try {
      bringBackOldAndRemoveNew(failure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void bringBackOldAndRemoveNew(Exception failure) {
    List<Replica> revived = new ArrayList<>();
    for (Replica o : stoppedOld) {
      try {
        Replica r = factory.startExisting(o);
        health.await(r, ms.stableHealthCheck());
        revived.add(r);
        ms.traffic()
            .route(DockerRollout.concat(DockerRollout.concat(routedOld, revived), routedNew));
      } catch (RuntimeException e) {
        restoredCleanly = false;
        failure.addSuppressed(e);
        log.warn("{}: cannot bring back {}: {}", spec.service(), o.name(), e.getMessage());
      }
    }
    try {
      ms.traffic().route(DockerRollout.concat(routedOld, revived));
      ms.traffic().drain(routedNew);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      restoredCleanly = false;
      failure.addSuppressed(e);
    }
    for (Replica s : started) {
      try {
        factory.remove(s.id());
      } catch (RuntimeException e) {
        restoredCleanly = false;
        failure.addSuppressed(e);
      }
    }
    if (!stoppedOld.isEmpty() && revived.isEmpty() && routedOld.isEmpty()) {
      restoredCleanly = false;
    }
  }

  /** Whether the last {@link #run()} failure left the old version fully restored. */
  boolean restoredCleanly() {
    return restoredCleanly;
  }
}
