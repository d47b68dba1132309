package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a deploy with its strategy. {@code ROLLING} and {@code INSTANT} update the serving slot's
 * Deployment in place (RollingUpdate with the spec's maxSurge/maxUnavailable, or Recreate); {@code
 * BLUE_GREEN} starts the full new version in the other slot and switches traffic at once; {@code
 * CANARY} starts one replica in the other slot and gives it its weight. A failure restores what
 * served before and removes what the deploy created.
 */
public final class KubernetesRollout {
  private static final Logger log = LoggerFactory.getLogger(KubernetesRollout.class);

  private final Cluster cluster;
  private final Records records;
  private final Routing routing;
  private final RolloutWaiter waiter;
  private final StatusReader status;
  private final Clock clock;
  private final Duration cleanupTimeout;

  public KubernetesRollout(
      Cluster cluster,
      Records records,
      Routing routing,
      RolloutWaiter waiter,
      StatusReader status,
      Clock clock,
      Duration cleanupTimeout) {
    this.cluster = cluster;
    this.records = records;
    this.routing = routing;
    this.waiter = waiter;
    this.status = status;
    this.clock = clock;
    this.cleanupTimeout = cleanupTimeout;
  }

  public DeployResult deploy(DeploySpec spec, Progress progress) {
    Instant start = clock.instant();
    ServiceRef service = spec.service();
    try {
      Names.validate(service);
      progress.report(DeployPhase.PULLING, "the kubelet of each node pulls " + spec.image());
      boolean createdNamespace = cluster.ensureNamespace(service);
      if (records.exists(service, spec.deploymentId())) {
        throw new RuntimeAdapterException.Conflict(
            "deployment id " + spec.deploymentId() + " is already used by " + service, null);
      }
      cluster.canary(service).ifPresent(c -> abortCanary(service, c));
      Optional<Deployment> stable = cluster.stable(service);
      progress.report(
          DeployPhase.CREATING, "record, Deployment and Services of " + spec.deploymentId());
      cluster.create(records.recordOf(spec));
      try {
        if (spec.registryAuth() != null) {
          cluster.apply(Manifests.pullSecret(spec, spec.registryAuth()));
        }
        if (stable.isEmpty()) {
          first(spec, progress, createdNamespace);
        } else if (spec.strategy() == DeployStrategy.BLUE_GREEN) {
          sideBySide(spec, stable.get(), false, progress);
        } else if (spec.strategy() == DeployStrategy.CANARY) {
          sideBySide(spec, stable.get(), true, progress);
        } else {
          inPlace(spec, stable.get(), progress);
        }
      } catch (RuntimeException e) {
        quietly("remove the record of " + spec.deploymentId(), () -> records.delete(spec));
        throw e;
      }
      quietly("prune the deploy history of " + service, () -> records.prune(service));
      progress.report(DeployPhase.RUNNING, spec.deploymentId() + " serves");
      return new DeployResult(
          spec.deploymentId(),
          status.read(service, false),
          Duration.between(start, clock.instant()));
    } catch (RuntimeAdapterException e) {
      progress.report(DeployPhase.FAILED, e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      progress.report(DeployPhase.FAILED, e.toString());
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL, "deploy of " + spec.deploymentId() + " failed: " + e, e);
    }
  }

  /** Nothing serves yet: create everything in the blue slot; on failure remove all of it. */
  private void first(DeploySpec spec, Progress progress, boolean createdNamespace) {
    ServiceRef service = spec.service();
    String revision = newRevision();
    int replicas = Manifests.initialReplicas(spec);
    try {
      cluster.create(Manifests.deployment(spec, Slot.BLUE, Names.TRACK_STABLE, replicas, revision));
      progress.report(
          DeployPhase.STARTING, replicas + " replicas of " + Names.deployment(service, Slot.BLUE));
      waiter.await(service, Slot.BLUE, revision, replicas, spec.image(), progress);
      progress.report(DeployPhase.SWITCHING, "routing traffic to " + spec.deploymentId());
      routing.apply(spec, Map.of(Slot.BLUE, 100));
      applyAutoscaler(spec, Slot.BLUE);
    } catch (RuntimeException e) {
      quietly(
          "remove the objects of failed " + spec.deploymentId(), () -> removeEverything(service));
      if (createdNamespace) {
        quietly(
            "remove namespace " + Names.namespace(service),
            () -> cluster.deleteNamespaceIfOwned(service));
      }
      throw e;
    }
  }

  /** Rolling or instant: update the serving Deployment; on failure put its old spec back. */
  private void inPlace(DeploySpec spec, Deployment stable, Progress progress) {
    ServiceRef service = spec.service();
    Slot slot = slotOf(stable);
    Deployment previous = clean(stable);
    String revision = newRevision();
    int replicas = Manifests.initialReplicas(spec);
    cluster.apply(Manifests.deployment(spec, slot, Names.TRACK_STABLE, replicas, revision));
    progress.report(
        DeployPhase.STARTING,
        (spec.strategy() == DeployStrategy.INSTANT ? "recreating " : "rolling update of ")
            + Names.deployment(service, slot));
    try {
      waiter.await(service, slot, revision, replicas, spec.image(), progress);
    } catch (RuntimeException e) {
      restore(previous, slot, progress, e);
      throw e;
    }
    progress.report(DeployPhase.SWITCHING, "routing traffic to " + spec.deploymentId());
    routing.apply(spec, Map.of(slot, 100));
    applyAutoscaler(spec, slot);
  }

  /** Blue-green or canary: start the other slot, gate it, then move traffic. */
  private void sideBySide(DeploySpec spec, Deployment stable, boolean canary, Progress progress) {
    ServiceRef service = spec.service();
    Slot old = slotOf(stable);
    Slot slot = old.other();
    String revision = newRevision();
    int replicas = canary ? 1 : Manifests.initialReplicas(spec);
    String track = canary ? Names.TRACK_CANARY : "candidate";
    removeSlot(service, slot);
    cluster.create(Manifests.deployment(spec, slot, track, replicas, revision));
    progress.report(
        DeployPhase.STARTING, replicas + " replicas of " + Names.deployment(service, slot));
    try {
      waiter.await(service, slot, revision, replicas, spec.image(), progress);
    } catch (RuntimeException e) {
      quietly("remove " + Names.deployment(service, slot), () -> removeSlot(service, slot));
      progress.report(
          DeployPhase.ROLLED_BACK,
          "removed the new version; " + Names.deployment(service, old) + " keeps serving");
      throw e;
    }
    if (canary) {
      int weight = spec.rollout().canaryWeightPercent();
      progress.report(
          DeployPhase.SWITCHING, weight + "% of traffic to canary " + spec.deploymentId());
      routing.apply(spec, Map.of(old, 100 - weight, slot, weight));
      return;
    }
    progress.report(
        DeployPhase.SWITCHING, "switching traffic to " + Names.deployment(service, slot));
    switchTo(spec, slot, old);
  }

  /** Makes the canary the only version: full replicas, all traffic, old slot removed. */
  public void promoteCanary(ServiceRef service, Progress progress) {
    Deployment canary =
        cluster
            .canary(service)
            .orElseThrow(() ->
                new RuntimeAdapterException.Conflict(service + " has no running canary", null));
    DeploySpec spec = specOf(service, canary);
    Slot slot = slotOf(canary);
    int replicas = Manifests.initialReplicas(spec);
    progress.report(
        DeployPhase.STARTING, "scaling canary " + spec.deploymentId() + " to " + replicas);
    cluster
        .errors()
        .runRetryingConflicts(
            "scale " + canary.getMetadata().getName(),
            () ->
                cluster
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(Names.namespace(service))
                    .withName(canary.getMetadata().getName())
                    .edit(d -> {
                      d.getSpec().setReplicas(replicas);
                      return d;
                    }));
    waiter.await(service, slot, revisionOf(canary), replicas, spec.image(), progress);
    progress.report(DeployPhase.SWITCHING, "all traffic to " + spec.deploymentId());
    switchTo(spec, slot, slot.other());
    progress.report(DeployPhase.RUNNING, spec.deploymentId() + " serves");
  }

  /** Removes the canary; the stable version gets all traffic again. */
  public void abortCanary(ServiceRef service, Deployment canary) {
    Slot slot = slotOf(canary);
    Deployment stable = cluster.stable(service).orElse(null);
    if (stable != null) {
      routing.apply(specOf(service, stable), Map.of(slotOf(stable), 100));
    }
    removeSlot(service, slot);
    log.info(
        "{}: canary {} removed", service, Cluster.annotation(canary, Names.DEPLOYMENT_ID, "?"));
  }

  private void switchTo(DeploySpec spec, Slot slot, Slot old) {
    ServiceRef service = spec.service();
    routing.apply(spec, Map.of(slot, 100));
    cluster
        .errors()
        .runRetryingConflicts(
            "mark " + Names.deployment(service, slot) + " stable",
            () ->
                cluster
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(Names.namespace(service))
                    .withName(Names.deployment(service, slot))
                    .edit(d -> {
                      d.getMetadata().getLabels().put(Names.TRACK, Names.TRACK_STABLE);
                      return d;
                    }));
    applyAutoscaler(spec, slot);
    removeSlot(service, old);
  }

  /** Puts the previous Deployment spec back and waits (bounded) for it to serve again. */
  private void restore(Deployment previous, Slot slot, Progress progress, RuntimeException cause) {
    ServiceRef service =
        new ServiceRef(
            Cluster.label(previous, Names.ORGANIZATION),
            Cluster.label(previous, Names.PROJECT),
            Cluster.label(previous, Names.SERVICE));
    try {
      cluster.apply(previous);
      int replicas =
          previous.getSpec().getReplicas() == null ? 1 : previous.getSpec().getReplicas();
      String image =
          previous.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
      waiter.await(service, slot, revisionOf(previous), replicas, image, null);
      progress.report(
          DeployPhase.ROLLED_BACK,
          "restored "
              + Cluster.annotation(previous, Names.DEPLOYMENT_ID, "the previous version")
              + " after: "
              + cause.getMessage());
    } catch (RuntimeException e) {
      log.warn(
          "{}: could not restore the previous version after a failed deploy: {}",
          service,
          e.getMessage());
      progress.report(
          DeployPhase.FAILED,
          cause.getMessage() + "; restoring the previous version failed too: " + e.getMessage());
    }
  }

  private void applyAutoscaler(DeploySpec spec, Slot slot) {
    ServiceRef service = spec.service();
    var hpa =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(service.service())
            .withNamespace(Names.namespace(service))
            .endMetadata()
            .build();
    if (spec.autoscaling() == null) {
      cluster.delete(hpa, service);
    } else {
      cluster.apply(Manifests.hpa(spec, Names.deployment(service, slot)));
    }
  }

  private void removeSlot(ServiceRef service, Slot slot) {
    cluster.delete(
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(Names.deployment(service, slot))
            .withNamespace(Names.namespace(service))
            .endMetadata()
            .build(),
        service);
    routing.removeSlot(service, slot);
    waiter.poll(() -> cluster.pods(service, slot).isEmpty(), cleanupTimeout);
  }

  /** Removes every object of the service except its deploy records. */
  public void removeEverything(ServiceRef service) {
    for (Deployment d : cluster.deployments(service)) {
      cluster.delete(d, service);
    }
    routing.removeAll(service);
    cluster.delete(
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(service.service())
            .withNamespace(Names.namespace(service))
            .endMetadata()
            .build(),
        service);
    waiter.poll(() -> cluster.pods(service, null).isEmpty(), cleanupTimeout);
  }

  private DeploySpec specOf(ServiceRef service, Deployment deployment) {
    String id = Cluster.annotation(deployment, Names.DEPLOYMENT_ID, "");
    return records
        .find(service, id)
        .orElseThrow(() ->
            new RuntimeAdapterException.DeploymentNotFound(service, id.isEmpty() ? "unknown" : id));
  }

  static Slot slotOf(Deployment d) {
    Slot slot = Slot.fromLabel(Cluster.label(d, Names.SLOT));
    if (slot == null) {
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL,
          Cluster.describe(d) + " has no valid " + Names.SLOT + " label");
    }
    return slot;
  }

  static String revisionOf(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels().get(Names.REVISION);
  }

  /** A copy of {@code d} with only what a create/replace needs (no status, uid, versions). */
  static Deployment clean(Deployment d) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(d.getMetadata().getName())
        .withNamespace(d.getMetadata().getNamespace())
        .withLabels(d.getMetadata().getLabels())
        .withAnnotations(d.getMetadata().getAnnotations())
        .endMetadata()
        .withSpec(new DeploymentBuilder(d).buildSpec())
        .build();
  }

  static String newRevision() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static void quietly(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("could not {}: {}", what, e.getMessage());
    }
  }
}
