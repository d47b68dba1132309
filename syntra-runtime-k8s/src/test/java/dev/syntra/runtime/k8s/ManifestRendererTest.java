package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.Autoscaling;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ServiceRef;
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
        .contains("name: \"syn-shop\"")
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

  private static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
