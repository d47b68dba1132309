package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a service's traffic goes. The main Service ({@code {service}}) selects the serving slot, or
 * both slots while a canary runs; with domains, a Traefik IngressRoute sends HTTPS traffic to a
 * weighted TraefikService over per-slot Services, or a plain Ingress routes to the main Service
 * when Traefik's CRDs are not installed.
 */
public final class Routing {
  private final Cluster cluster;
  private final String certResolver;

  public Routing(Cluster cluster, String certResolver) {
    this.cluster = cluster;
    this.certResolver = certResolver;
  }

  /** Sends the service's traffic to {@code weights} (percent per slot, summing to 100). */
  public void apply(DeploySpec spec, Map<Slot, Integer> weights) {
    ServiceRef service = spec.service();
    if (spec.ports().isEmpty()) {
      removeAll(service);
      return;
    }
    Map<String, String> selector =
        weights.size() == 1
            ? Names.ofSlot(service, weights.keySet().iterator().next())
            : Names.ofService(service);
    cluster.apply(Manifests.service(spec, Names.mainService(service), selector));
    Set<Slot> unused = EnumSet.allOf(Slot.class);
    if (!spec.domains().isEmpty() && cluster.traefikInstalled()) {
      for (Slot slot : weights.keySet()) {
        cluster.apply(
            Manifests.service(spec, Names.slotService(service, slot), Names.ofSlot(service, slot)));
        unused.remove(slot);
      }
      cluster.applyGeneric(
          RouteManifests.TRAEFIK_SERVICE, RouteManifests.traefikService(spec, weights));
      cluster.applyGeneric(
          RouteManifests.INGRESS_ROUTE, RouteManifests.ingressRoute(spec, certResolver));
      removeIngresses(service, Set.of());
    } else if (!spec.domains().isEmpty()) {
      Set<String> kept = new HashSet<>();
      for (Ingress ingress : RouteManifests.ingresses(spec, certResolver)) {
        cluster.apply(ingress);
        kept.add(ingress.getMetadata().getName());
      }
      removeIngresses(service, kept);
      removeTraefik(service);
    } else {
      removeIngresses(service, Set.of());
      removeTraefik(service);
    }
    for (Slot slot : unused) {
      cluster.delete(service(service, Names.slotService(service, slot)), service);
    }
  }

  /** Removes the per-slot Service of {@code slot} (after its Deployment is gone). */
  public void removeSlot(ServiceRef service, Slot slot) {
    cluster.delete(service(service, Names.slotService(service, slot)), service);
  }

  /** Removes every Service, Ingress and Traefik object of the service. */
  public void removeAll(ServiceRef service) {
    String ns = Names.namespace(service);
    var services =
        cluster
            .errors()
            .call(
                "list the Services of " + service,
                () ->
                    cluster
                        .client()
                        .services()
                        .inNamespace(ns)
                        .withLabels(Names.ofService(service))
                        .list()
                        .getItems());
    for (HasMetadata s : services) {
      cluster.delete(s, service);
    }
    removeIngresses(service, Set.of());
    removeTraefik(service);
  }

  /** Deletes the service's plain Ingresses except those named in {@code kept}. */
  private void removeIngresses(ServiceRef service, Set<String> kept) {
    for (String name : List.of(Names.mainService(service), Names.wildcardIngress(service))) {
      if (!kept.contains(name)) {
        cluster.delete(ingress(service, name), service);
      }
    }
  }

  private void removeTraefik(ServiceRef service) {
    if (!cluster.traefikInstalled()) {
      return;
    }
    for (var ctx :
        new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext[] {
          RouteManifests.INGRESS_ROUTE, RouteManifests.TRAEFIK_SERVICE
        }) {
      for (GenericKubernetesResource r : cluster.generic(ctx, service)) {
        cluster
            .errors()
            .run(
                "delete " + ctx.getKind() + " " + r.getMetadata().getName(),
                () ->
                    cluster
                        .client()
                        .genericKubernetesResources(ctx)
                        .inNamespace(r.getMetadata().getNamespace())
                        .withName(r.getMetadata().getName())
                        .delete());
      }
    }
  }

  private static HasMetadata service(ServiceRef service, String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(Names.namespace(service))
        .endMetadata()
        .build();
  }

  private static HasMetadata ingress(ServiceRef service, String name) {
    return new IngressBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(Names.namespace(service))
        .endMetadata()
        .build();
  }
}
