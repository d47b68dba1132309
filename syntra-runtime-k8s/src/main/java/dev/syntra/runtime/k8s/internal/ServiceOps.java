package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Duration;

/** {@code stop}, {@code scale} and {@code restart} of the serving Deployment. */
public final class ServiceOps {
  private final Cluster cluster;
  private final KubernetesRollout rollout;
  private final RolloutWaiter waiter;
  private final Clock clock;
  private final Duration stopTimeout;

  public ServiceOps(
      Cluster cluster,
      KubernetesRollout rollout,
      RolloutWaiter waiter,
      Clock clock,
      Duration stopTimeout) {
    this.cluster = cluster;
    this.rollout = rollout;
    this.waiter = waiter;
    this.clock = clock;
    this.stopTimeout = stopTimeout;
  }

  /** Removes Deployments, Services, routes and the HPA; keeps the deploy history for rollback. */
  public void stop(ServiceRef service) {
    Names.validate(service);
    if (cluster.deployments(service).isEmpty() && cluster.pods(service, null).isEmpty()) {
      return;
    }
    rollout.removeEverything(service);
    if (!cluster.pods(service, null).isEmpty()) {
      throw new RuntimeAdapterException.Timeout(
          "pods of "
              + service
              + " were still running "
              + stopTimeout.toSeconds()
              + " s after their Deployments were deleted");
    }
  }

  public void scale(ServiceRef service, int replicas) {
    if (replicas < 0 || replicas > 1000) {
      throw new RuntimeAdapterException.InvalidSpec(
          "replicas: must be between 0 and 1000, was " + replicas);
    }
    Deployment stable = requireStable(service);
    String ns = Names.namespace(service);
    var hpa =
        cluster
            .errors()
            .call(
                "read the autoscaler of " + service,
                () ->
                    cluster
                        .client()
                        .autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(ns)
                        .withName(service.service())
                        .get());
    if (hpa != null && Cluster.owns(hpa, service) && replicas > 0) {
      throw new RuntimeAdapterException.Conflict(
          service
              + " autoscales between "
              + hpa.getSpec().getMinReplicas()
              + " and "
              + hpa.getSpec().getMaxReplicas()
              + " replicas; change its autoscaling settings instead of scaling it by hand",
          null);
    }
    cluster
        .errors()
        .runRetryingConflicts(
            "scale " + Cluster.describe(stable),
            () ->
                cluster
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(stable.getMetadata().getName())
                    .edit(d -> {
                      d.getSpec().setReplicas(replicas);
                      return d;
                    }));
    String image = stable.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    waiter.await(
        service,
        KubernetesRollout.slotOf(stable),
        KubernetesRollout.revisionOf(stable),
        replicas,
        image,
        null);
  }

  /** A rollout restart: a new pod-template revision, so pods are replaced per the strategy. */
  public void restart(ServiceRef service) {
    Deployment stable = requireStable(service);
    String revision = KubernetesRollout.newRevision();
    String ns = Names.namespace(service);
    cluster
        .errors()
        .runRetryingConflicts(
            "restart " + Cluster.describe(stable),
            () ->
                cluster
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(stable.getMetadata().getName())
                    .edit(d -> {
                      var template = d.getSpec().getTemplate().getMetadata();
                      template.getLabels().put(Names.REVISION, revision);
                      template
                          .getAnnotations()
                          .put("kubectl.kubernetes.io/restartedAt", clock.instant().toString());
                      return d;
                    }));
    int replicas = stable.getSpec().getReplicas() == null ? 1 : stable.getSpec().getReplicas();
    String image = stable.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    waiter.await(service, KubernetesRollout.slotOf(stable), revision, replicas, image, null);
  }

  Deployment requireStable(ServiceRef service) {
    Names.validate(service);
    return cluster
        .stable(service)
        .orElseThrow(() -> new RuntimeAdapterException.ServiceNotFound(service));
  }
}
