package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.Autoscaling;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.k8s.internal.RouteManifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {
  private final DeploySpec spec =
      DeploySpec.builder(
              "dep-7", new ServiceRef("k3x9a2", "shop", "web"), "registry.example.com/shop/web:1.4")
          .registryAuth(new RegistryAuth("registry.example.com", "ci", "hunter2"))
          .env("DATABASE_URL", "postgres://user:pw@db/shop")
          .port(PortMapping.tcp(8080))
          .domain("shop.example.com")
          .healthCheck(HealthCheck.http("/health", 8080))
          .autoscaling(new Autoscaling(2, 6, 60))
          .build();

  @Test
  void rendersEveryObjectAsYamlWithSecretsRedacted() {
    String yaml = ManifestRenderer.create().withCertResolver("le").render(spec);

    assertThat(yaml.split("(?m)^---$")).hasSizeGreaterThanOrEqualTo(9);
    assertThat(yaml)
        .contains("kind: \"Namespace\"")
        .contains("name: \"syn-k3x9a2-shop\"")
        .contains("kind: \"Deployment\"")
        .contains("name: \"web-blue\"")
        .contains("kind: \"Service\"")
        .contains("kind: \"TraefikService\"")
        .contains("kind: \"IngressRoute\"")
        .contains("certResolver: \"le\"")
        .contains("kind: \"HorizontalPodAutoscaler\"")
        .contains("syntra.managed: \"true\"")
        .contains("DATABASE_URL")
        .doesNotContain("hunter2")
        .doesNotContain(b64("postgres://user:pw@db/shop"));
  }

  @Test
  void rendersAPlainIngressWithoutTraefikAndValuesWhenAsked() {
    String yaml = ManifestRenderer.create().withTraefik(false).withSecretValues(true).render(spec);

    assertThat(yaml)
        .contains("kind: \"Ingress\"")
        .doesNotContain("IngressRoute")
        .contains("host: \"shop.example.com\"")
        .contains(b64("postgres://user:pw@db/shop"));
  }

  @Test
  void podsAreConfinedBySecurityOptions() {
    var container =
        deployment(ManifestRenderer.create().objects(spec))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyElementsOf(SecurityOptions.DEFAULT_CAPABILITIES);
    assertThat(
            deployment(ManifestRenderer.create().objects(spec))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getSeccompProfile()
                .getType())
        .isEqualTo("RuntimeDefault");

    DeploySpec custom =
        DeploySpec.builder("dep-8", spec.service(), spec.image())
            .security(new SecurityOptions(false, List.of("NET_RAW"), List.of("NET_ADMIN")))
            .build();
    var relaxed =
        deployment(ManifestRenderer.create().objects(custom))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst()
            .getSecurityContext();
    assertThat(relaxed.getAllowPrivilegeEscalation()).isNull();
    assertThat(relaxed.getCapabilities().getDrop()).containsExactly("NET_RAW");
    assertThat(relaxed.getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(ManifestRenderer.create().render(spec))
        .contains("allowPrivilegeEscalation: false")
        .contains("- \"ALL\"");
  }

  @Test
  void everyHostGetsItsOwnRouteWithAnExplicitPriorityExactAboveWildcard() {
    DeploySpec two =
        DeploySpec.builder("dep-9", spec.service(), spec.image())
            .port(PortMapping.tcp(8080))
            .domain("shop.example.com")
            .domain("*.shops.example.com")
            .build();
    GenericKubernetesResource route =
        ManifestRenderer.create().objects(two).stream()
            .filter(o -> o.getKind().equals("IngressRoute"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> routes =
        (List<Map<String, Object>>) ((Map<String, Object>) route.get("spec")).get("routes");

    assertThat(routes).hasSize(2);
    assertThat(routes.get(0))
        .containsEntry("match", "Host(`shop.example.com`)")
        .containsEntry("priority", 20);
    assertThat(routes.get(1))
        .containsEntry("match", "HostRegexp(`^[a-z0-9-]+\\.shops\\.example\\.com$`)")
        .containsEntry("priority", 10);
    assertThat(RouteManifests.PRIORITY_EXACT_HOST)
        .isGreaterThan(RouteManifests.PRIORITY_WILDCARD_HOST);

    List<Ingress> plain =
        ManifestRenderer.create().withTraefik(false).objects(two).stream()
            .filter(Ingress.class::isInstance)
            .map(Ingress.class::cast)
            .toList();
    assertThat(plain).extracting(i -> i.getMetadata().getName()).containsExactly("web", "web-wild");
    assertThat(plain.get(0).getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactly("shop.example.com");
    assertThat(plain.get(0).getMetadata().getAnnotations())
        .containsEntry("traefik.ingress.kubernetes.io/router.priority", "20");
    assertThat(plain.get(1).getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactly("*.shops.example.com");
    assertThat(plain.get(1).getMetadata().getAnnotations())
        .containsEntry("traefik.ingress.kubernetes.io/router.priority", "10");
  }

  @Test
  void theProjectNetworkPolicyAdmitsTheNamespaceAndTheIngressControllerOnly() {
    NetworkPolicy policy =
        ManifestRenderer.create().objects(spec).stream()
            .filter(NetworkPolicy.class::isInstance)
            .map(NetworkPolicy.class::cast)
            .findFirst()
            .orElseThrow();

    assertThat(policy.getMetadata().getNamespace()).isEqualTo("syn-k3x9a2-shop");
    assertThat(policy.getMetadata().getLabels())
        .containsEntry("syntra.organization", "k3x9a2")
        .containsEntry("syntra.project", "shop");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("syntra.managed", "true");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var from = policy.getSpec().getIngress().getFirst().getFrom();
    assertThat(from).hasSize(2);
    assertThat(from.get(0).getNamespaceSelector()).isNull();
    assertThat(from.get(0).getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(from.get(1).getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(from.get(1).getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "traefik"));
    // Empty selectors must survive serialisation: "{}" selects all, a missing one is invalid.
    String yaml = ManifestRenderer.create().render(spec);
    assertThat(yaml).contains("podSelector: {}").contains("namespaceSelector: {}");
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
