package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The routing objects of a service with domains: a Traefik {@code IngressRoute} to a weighted
 * {@code TraefikService} ({@code traefik.io/v1alpha1}) when the Traefik CRDs are installed, else a
 * plain {@code networking.k8s.io/v1} Ingress with Traefik's router annotations.
 */
public final class RouteManifests {
  public static final String TRAEFIK_API = "traefik.io/v1alpha1";
  public static final String ENTRYPOINT_HTTPS = "websecure";

  public static final ResourceDefinitionContext INGRESS_ROUTE =
      new ResourceDefinitionContext.Builder()
          .withGroup("traefik.io")
          .withVersion("v1alpha1")
          .withKind("IngressRoute")
          .withPlural("ingressroutes")
          .withNamespaced(true)
          .build();

  public static final ResourceDefinitionContext TRAEFIK_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("traefik.io")
          .withVersion("v1alpha1")
          .withKind("TraefikService")
          .withPlural("traefikservices")
          .withNamespaced(true)
          .build();

  private RouteManifests() {}

  /** Traefik v3 rule matching the spec's domains; {@code *.x} becomes a one-label regexp. */
  public static String rule(List<String> domains) {
    return domains.stream()
        .map(d ->
            d.startsWith("*.")
                ? "HostRegexp(`^[a-z0-9-]+" + d.substring(1).replace(".", "\\.") + "$`)"
                : "Host(`" + d + "`)")
        .collect(Collectors.joining(" || "));
  }

  /** The IngressRoute on {@value #ENTRYPOINT_HTTPS} with TLS from {@code certResolver}. */
  public static GenericKubernetesResource ingressRoute(DeploySpec spec, String certResolver) {
    ServiceRef service = spec.service();
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("name", Names.mainService(service));
    target.put("kind", "TraefikService");
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("match", rule(spec.domains()));
    route.put("kind", "Rule");
    route.put("services", List.of(target));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entryPoints", List.of(ENTRYPOINT_HTTPS));
    body.put("routes", List.of(route));
    body.put("tls", Map.of("certResolver", certResolver));
    return generic("IngressRoute", Names.mainService(service), spec, body);
  }

  /** The weighted TraefikService over the slot Services; {@code weights} per slot, summing 100. */
  public static GenericKubernetesResource traefikService(
      DeploySpec spec, Map<Slot, Integer> weights) {
    List<Map<String, Object>> services = new ArrayList<>();
    weights.forEach((slot, weight) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", Names.slotService(spec.service(), slot));
      s.put("port", spec.ports().getFirst().containerPort());
      s.put("weight", weight);
      services.add(s);
    });
    Map<String, Object> body = Map.of("weighted", Map.of("services", services));
    return generic("TraefikService", Names.mainService(spec.service()), spec, body);
  }

  /** A plain Ingress to the main Service, for clusters without the Traefik CRDs. */
  public static Ingress ingress(DeploySpec spec, String certResolver) {
    ServiceRef service = spec.service();
    int port = spec.ports().getFirst().containerPort();
    HTTPIngressPath path =
        new HTTPIngressPathBuilder()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(Names.mainService(service))
            .withNewPort()
            .withNumber(port)
            .endPort()
            .endService()
            .endBackend()
            .build();
    List<IngressRule> rules = new ArrayList<>();
    for (String domain : spec.domains()) {
      rules.add(
          new IngressRuleBuilder()
              .withHost(domain)
              .withNewHttp()
              .withPaths(path)
              .endHttp()
              .build());
    }
    var meta =
        Manifests.meta(
            Names.mainService(service),
            spec,
            Map.of(),
            Map.of(
                "traefik.ingress.kubernetes.io/router.entrypoints", ENTRYPOINT_HTTPS,
                "traefik.ingress.kubernetes.io/router.tls", "true",
                "traefik.ingress.kubernetes.io/router.tls.certresolver", certResolver));
    return new IngressBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withRules(rules)
        .addNewTl()
        .withHosts(spec.domains())
        .endTl()
        .endSpec()
        .build();
  }

  private static GenericKubernetesResource generic(
      String kind, String name, DeploySpec spec, Map<String, Object> body) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(TRAEFIK_API)
        .withKind(kind)
        .withMetadata(Manifests.meta(name, spec, Map.of(), Map.of()))
        .withAdditionalProperties(Map.of("spec", body))
        .build();
  }
}
