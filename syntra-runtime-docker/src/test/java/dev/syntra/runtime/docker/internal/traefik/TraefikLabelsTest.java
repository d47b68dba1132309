package dev.syntra.runtime.docker.internal.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ServiceRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TraefikLabelsTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  private static DeploySpec.Builder spec(String... domains) {
    DeploySpec.Builder builder =
        DeploySpec.builder("dep-1", WEB, "127.0.0.1:5000/shop/web:1").port(PortMapping.tcp(8080));
    for (String domain : domains) {
      builder.domain(domain);
    }
    return builder;
  }

  @Test
  void givesNoLabelsToAServiceWithoutDomains() {
    assertThat(TraefikLabels.forService(spec().build())).isEmpty();
  }

  @Test
  void routesEachDomainWithItsOwnRouterOverHttpsAndRedirectsPlainHttp() {
    Map<String, String> labels =
        TraefikLabels.forService(
            spec("a.example.com", "b.example.com")
                .healthCheck(HealthCheck.http("/health", 8080))
                .build());

    String b = "syn-k3x9a2-shop-web-" + hash("k3x9a2/shop/web");
    String ra = b + "-" + hash("a.example.com");
    String rb = b + "-" + hash("b.example.com");
    assertThat(labels)
        .containsEntry("traefik.docker.network", "syn-k3x9a2-shop")
        .containsEntry("traefik.enable", "true")
        .containsEntry("traefik.http.middlewares." + b + "-https.redirectscheme.scheme", "https")
        .containsEntry("traefik.http.routers." + ra + "-secure.rule", "Host(`a.example.com`)")
        .containsEntry("traefik.http.routers." + ra + "-secure.priority", "20")
        .containsEntry("traefik.http.routers." + ra + "-secure.entrypoints", "websecure")
        .containsEntry("traefik.http.routers." + ra + "-secure.service", b)
        .containsEntry("traefik.http.routers." + ra + "-secure.tls.certresolver", "letsencrypt")
        .containsEntry("traefik.http.routers." + ra + "-http.rule", "Host(`a.example.com`)")
        .containsEntry("traefik.http.routers." + ra + "-http.priority", "20")
        .containsEntry("traefik.http.routers." + ra + "-http.middlewares", b + "-https")
        .containsEntry("traefik.http.routers." + rb + "-secure.rule", "Host(`b.example.com`)")
        .containsEntry("traefik.http.routers." + rb + "-http.rule", "Host(`b.example.com`)")
        .containsEntry("traefik.http.services." + b + ".loadbalancer.healthcheck.path", "/health")
        .containsEntry("traefik.http.services." + b + ".loadbalancer.server.port", "8080");
  }

  @Test
  void neverOrsTwoHostsInOneRuleSoNoRouterCoversAnotherServicesHost() {
    Map<String, String> labels =
        TraefikLabels.forService(
            spec("victim.example.com", "mine.example.com", "*.example.com").build());

    assertThat(labels.entrySet())
        .filteredOn(e -> e.getKey().endsWith(".rule"))
        .hasSize(6)
        .allSatisfy(e -> assertThat(e.getValue()).doesNotContain("||"));
  }

  @Test
  void everyRouterHasAnExplicitPriorityAndExactHostsOutrankEveryWildcard() {
    Map<String, String> labels =
        TraefikLabels.forService(spec("*.example.com", "shop.example.com").build());

    Map<String, Integer> priorityByRule = new java.util.HashMap<>();
    labels.forEach((key, value) -> {
      if (key.endsWith(".rule")) {
        String router = key.substring(0, key.length() - ".rule".length());
        assertThat(labels).containsKey(router + ".priority");
        priorityByRule.put(value, Integer.parseInt(labels.get(router + ".priority")));
      }
    });
    int exact = priorityByRule.get("Host(`shop.example.com`)");
    int wildcard = priorityByRule.get(TraefikRule.matcher("*.example.com"));
    assertThat(exact).isGreaterThan(wildcard);
    // Traefik's default priority is the rule's length: a long wildcard rule must not matter.
    assertThat(TraefikRule.matcher("*.example.com").length()).isGreaterThan(exact);
  }

  @Test
  void aWildcardRouterRequestsAWildcardCertificate() {
    Map<String, String> labels = TraefikLabels.forService(spec("*.example.com").build());

    String secure =
        "traefik.http.routers." + TraefikRule.routerName(WEB, "*.example.com") + "-secure.";
    assertThat(labels)
        .containsEntry(secure + "rule", TraefikRule.matcher("*.example.com"))
        .containsEntry(secure + "priority", "10")
        .containsEntry(secure + "tls.domains[0].main", "example.com")
        .containsEntry(secure + "tls.domains[0].sans", "*.example.com");
  }

  @Test
  void wildcardRegexpMatchesExactlyOneLabelInAnyCase() {
    String rule = TraefikRule.matcher("*.example.com");
    String regexp = rule.substring("HostRegexp(`".length(), rule.length() - "`)".length());
    Pattern pattern = Pattern.compile(regexp);

    assertThat(pattern.matcher("shop.example.com").matches()).isTrue();
    assertThat(pattern.matcher("Shop.EXAMPLE.com:443").matches()).isTrue();
    assertThat(pattern.matcher("a.b.example.com").matches()).isFalse();
    assertThat(pattern.matcher("example.com").matches()).isFalse();
    assertThat(pattern.matcher("shopxexample.com").matches()).isFalse();
    assertThat(pattern.matcher("shop.example.com.evil.net").matches()).isFalse();
  }

  @Test
  void requestsNoExplicitCertificatesWithoutWildcards() {
    assertThat(TraefikLabels.forService(spec("a.example.com").build()))
        .noneSatisfy((key, value) -> assertThat(key).contains("tls.domains"));
  }

  @Test
  void listsEachDomainOnce() {
    assertThat(
            TraefikLabels.forService(
                    spec("b.example.com", "a.example.com", "b.example.com").build())
                .keySet())
        .filteredOn(key -> key.endsWith("-secure.rule"))
        .hasSize(2);
  }

  @Test
  void routesToTheFirstPortAndProbesTheHealthCheckPortWhenItDiffers() {
    HealthCheck check =
        new HealthCheck(
            HealthCheck.Type.HTTP,
            "/ready?deep=1",
            9090,
            Duration.ofMillis(1500),
            Duration.ofMillis(250),
            3,
            Duration.ZERO);
    Map<String, String> labels =
        TraefikLabels.forService(
            spec("a.example.com").port(PortMapping.tcp(9090)).healthCheck(check).build());

    String lb = "traefik.http.services.syn-k3x9a2-shop-web-71b2fd.loadbalancer.";
    assertThat(labels)
        .containsEntry(lb + "server.port", "8080")
        .containsEntry(lb + "healthcheck.path", "/ready?deep=1")
        .containsEntry(lb + "healthcheck.interval", "1500ms")
        .containsEntry(lb + "healthcheck.timeout", "250ms")
        .containsEntry(lb + "healthcheck.port", "9090");
  }

  @Test
  void leavesTcpHealthChecksToTheAdapter() {
    assertThat(
            TraefikLabels.forService(
                spec("a.example.com").healthCheck(HealthCheck.tcp(8080)).build()))
        .noneSatisfy((key, value) -> assertThat(key).contains("healthcheck"));
  }

  @Test
  void usesTheGivenCertificateResolver() {
    assertThat(TraefikLabels.forService(spec("a.example.com").build(), "dns-cloudflare"))
        .containsEntry(
            "traefik.http.routers."
                + TraefikRule.routerName(WEB, "a.example.com")
                + "-secure.tls.certresolver",
            "dns-cloudflare");
  }

  @Test
  void derivesEveryNameFromProjectAndService() {
    DeploySpec spec =
        DeploySpec.builder("dep-9", new ServiceRef("k3x9a2", "blog", "api"), "busybox")
            .port(PortMapping.tcp(80))
            .domain("api.blog.dev")
            .build();

    assertThat(TraefikLabels.forService(spec).keySet())
        .filteredOn(key -> key.startsWith("traefik.http."))
        .allSatisfy(key ->
            assertThat(key)
                .matches(
                    "traefik\\.http\\.(routers|services|middlewares)\\.syn-k3x9a2-blog-api-"
                        + hash("k3x9a2/blog/api")
                        + "(-[0-9a-f]{6}-secure|-[0-9a-f]{6}-http|-https)?\\..+"));
  }

  @Test
  void returnsAnUnmodifiableMap() {
    Map<String, String> labels = TraefikLabels.forService(spec("a.example.com").build());
    assertThatThrownBy(() -> labels.put("traefik.enable", "false"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesDomainsThatCouldInjectRuleOrLabelSyntax() {
    for (String evil :
        List.of(
            "a.example.com`) || Host(`evil.com",
            "a.example.com,evil.com",
            "A.example.com",
            "a.example.com\n",
            "{{env}}.example.com",
            "*.*.example.com")) {
      assertThatThrownBy(() -> TraefikRule.domains(List.of("ok.example.com", evil)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("domains[1]:");
    }
  }

  @Test
  void refusesAHealthCheckPathThatCouldInjectSyntax() {
    for (String evil : List.of("/he`alth", "/a b", "/{{ env \"X\" }}", "/x\"y", "/x\ny")) {
      DeploySpec spec = spec("a.example.com").healthCheck(HealthCheck.http(evil, 8080)).build();
      assertThatThrownBy(() -> TraefikLabels.forService(spec))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("health_check.path:");
    }
  }

  @Test
  void refusesACertificateResolverThatCouldInjectSyntax() {
    assertThatThrownBy(() -> TraefikLabels.forService(spec("a.example.com").build(), "le\"x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("certResolver:");
  }

  /** 6 hex digits of SHA-256, as the names use. */
  static String hash(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 3);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void namesOfServicesOfDifferentOrganizationsNeverClash() {
    assertThat(TraefikRule.baseName(new ServiceRef("orga", "shop", "web")))
        .isNotEqualTo(TraefikRule.baseName(new ServiceRef("orgb", "shop", "web")));
  }

  @Test
  void namesOfServicesThatReadAlikeNeverClash() {
    ServiceRef first = new ServiceRef("k3x9a2", "a-b", "c");
    ServiceRef second = new ServiceRef("k3x9a2", "a", "b-c");
    assertThat(TraefikRule.baseName(first)).isNotEqualTo(TraefikRule.baseName(second));
  }
}
