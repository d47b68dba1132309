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

/**
 * The routing objects of a service with domains: a Traefik {@code IngressRoute} to a weighted
 * {@code TraefikService} ({@code traefik.io/v1alpha1}) when the Traefik CRDs are installed, else
 * plain {@code networking.k8s.io/v1} Ingresses with Traefik's router annotations.
 *
 * <p><b>Priorities.</b> Traefik tries routers by priority (highest first), by default the length of
 * the rule, so a wildcard rule or a longer rule of another service could win a host that belongs to
 * someone else. Every route therefore carries an explicit priority by the kind of host only:
 * {@value #PRIORITY_EXACT_HOST} for an exact host, {@value #PRIORITY_WILDCARD_HOST} for a wildcard.
 * An exact host always outranks every wildcard; two exact hosts (or two wildcards) of different
 * services never match the same request (the control plane gives each host one owner and refuses
 * overlapping wildcards), so equal priorities cannot compete. The numbers are the Docker adapter's
 * (which also has canary routers at 21 and 11) and stay below the default priority of any {@code
 * Host(..)} rule an operator writes (its length, at least 14), so a tenant's route never takes an
 * operator's own. Canary and blue-green weights live in the service's own TraefikService behind its
 * one route, so they never compete with other services' routes.
 */
public final class RouteManifests {
  public static final String TRAEFIK_API = "traefik.io/v1alpha1";
  public static final String ENTRYPOINT_HTTPS = "websecure";

  /** Router priority of a route for an exact host name. */
  public static final int PRIORITY_EXACT_HOST = 20;

  /** Router priority of a route for a wildcard ({@code *.example.com}). */
  public static final int PRIORITY_WILDCARD_HOST = 10;

  /** Annotation of Traefik's Kubernetes Ingress provider that sets its routers' priority. */
  static final String INGRESS_PRIORITY = "traefik.ingress.kubernetes.io/router.priority";

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

  /** Traefik v3 rule matching one domain; {@code *.x} becomes a one-label regexp. */
  public static String rule(String domain) {
    return wildcard(domain)
        ? "HostRegexp(`^[a-z0-9-]+" + domain.substring(1).replace(".", "\\.") + "$`)"
        : "Host(`" + domain + "`)";
  }

  /** The router priority of a route for {@code domain} (see the class comment). */
  public static int priority(String domain) {
    return wildcard(domain) ? PRIORITY_WILDCARD_HOST : PRIORITY_EXACT_HOST;
  }

  static boolean wildcard(String domain) {
    return domain.startsWith("*.");
  }

  /**
   * The IngressRoute on {@value #ENTRYPOINT_HTTPS} with TLS from {@code certResolver}: one route
   * per domain, each with its {@link #priority}, all to the service's weighted TraefikService.
   */
  public static GenericKubernetesResource ingressRoute(DeploySpec spec, String certResolver) {
    ServiceRef service = spec.service();
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("name", Names.mainService(service));
    target.put("kind", "TraefikService");
    List<Map<String, Object>> routes = new ArrayList<>();
    for (String domain : spec.domains()) {
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("match", rule(domain));
      route.put("kind", "Rule");
      route.put("priority", priority(domain));
      route.put("services", List.of(target));
      routes.add(route);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entryPoints", List.of(ENTRYPOINT_HTTPS));
    body.put("routes", routes);
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

  /**
   * Plain Ingresses to the main Service, for clusters without the Traefik CRDs: {@code {service}}
   * for the exact hosts and {@code {service}-wild} for the wildcards (each absent when it would
   * have no host). Two objects because Traefik takes the router priority from an annotation of the
   * whole Ingress; other controllers ignore it (ingress-nginx, for one, already prefers an exact
   * server name to a wildcard).
   */
  public static List<Ingress> ingresses(DeploySpec spec, String certResolver) {
    List<String> exact = spec.domains().stream().filter(d -> !wildcard(d)).toList();
    List<String> wild = spec.domains().stream().filter(RouteManifests::wildcard).toList();
    List<Ingress> out = new ArrayList<>(2);
    if (!exact.isEmpty()) {
      out.add(ingress(spec, Names.mainService(spec.service()), exact, certResolver));
    }
    if (!wild.isEmpty()) {
      out.add(ingress(spec, Names.wildcardIngress(spec.service()), wild, certResolver));
    }
    return out;
  }

  private static Ingress ingress(
      DeploySpec spec, String name, List<String> domains, String certResolver) {
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
    for (String domain : domains) {
      rules.add(
          new IngressRuleBuilder()
              .withHost(domain)
              .withNewHttp()
              .withPaths(path)
              .endHttp()
              .build());
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("traefik.ingress.kubernetes.io/router.entrypoints", ENTRYPOINT_HTTPS);
    annotations.put("traefik.ingress.kubernetes.io/router.tls", "true");
    annotations.put("traefik.ingress.kubernetes.io/router.tls.certresolver", certResolver);
    annotations.put(INGRESS_PRIORITY, Integer.toString(priority(domains.getFirst())));
    return new IngressBuilder()
        .withMetadata(Manifests.meta(name, spec, Map.of(), annotations))
        .withNewSpec()
        .withRules(rules)
        .addNewTl()
        .withHosts(domains)
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
