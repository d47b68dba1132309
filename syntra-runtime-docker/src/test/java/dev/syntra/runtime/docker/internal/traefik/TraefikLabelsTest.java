package dev.syntra.runtime.docker.internal.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

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
  void routesEveryDomainOverHttpsAndRedirectsPlainHttp() {
    Map<String, String> labels =
        TraefikLabels.forService(
            spec("a.example.com", "b.example.com")
                .healthCheck(HealthCheck.http("/health", 8080))
                .build());

    String rule = "Host(`a.example.com`) || Host(`b.example.com`)";
    assertThat(labels)
        .containsExactly(
            entry("traefik.docker.network", "syntra"),
            entry("traefik.enable", "true"),
            entry(
                "traefik.http.middlewares.syn-shop-web-973756-https.redirectscheme.permanent",
                "true"),
            entry(
                "traefik.http.middlewares.syn-shop-web-973756-https.redirectscheme.scheme",
                "https"),
            entry("traefik.http.routers.syn-shop-web-973756-http.entrypoints", "web"),
            entry(
                "traefik.http.routers.syn-shop-web-973756-http.middlewares",
                "syn-shop-web-973756-https"),
            entry("traefik.http.routers.syn-shop-web-973756-http.rule", rule),
            entry("traefik.http.routers.syn-shop-web-973756-http.service", "syn-shop-web-973756"),
            entry("traefik.http.routers.syn-shop-web-973756-secure.entrypoints", "websecure"),
            entry("traefik.http.routers.syn-shop-web-973756-secure.rule", rule),
            entry("traefik.http.routers.syn-shop-web-973756-secure.service", "syn-shop-web-973756"),
            entry("traefik.http.routers.syn-shop-web-973756-secure.tls", "true"),
            entry(
                "traefik.http.routers.syn-shop-web-973756-secure.tls.certresolver", "letsencrypt"),
            entry(
                "traefik.http.services.syn-shop-web-973756.loadbalancer.healthcheck.interval",
                "5s"),
            entry(
                "traefik.http.services.syn-shop-web-973756.loadbalancer.healthcheck.path",
                "/health"),
            entry(
                "traefik.http.services.syn-shop-web-973756.loadbalancer.healthcheck.timeout", "3s"),
            entry("traefik.http.services.syn-shop-web-973756.loadbalancer.server.port", "8080"));
  }

  @Test
  void matchesAWildcardWithAHostRegexpAndRequestsAWildcardCertificate() {
    Map<String, String> labels =
        TraefikLabels.forService(
            spec("*.example.com", "shop.example.com", "example.com", "*.example.com").build());

    String wildcard = "HostRegexp(`(?i)^[a-z0-9-]+\\.example\\.com(:[0-9]+)?$`)";
    String secure = "traefik.http.routers.syn-shop-web-973756-secure.";
    assertThat(labels)
        .containsEntry(
            secure + "rule", wildcard + " || Host(`shop.example.com`) || Host(`example.com`)")
        .containsEntry(secure + "tls.domains[0].main", "example.com")
        .containsEntry(secure + "tls.domains[0].sans", "*.example.com")
        .containsEntry(secure + "tls.domains[1].main", "shop.example.com")
        .doesNotContainKey(secure + "tls.domains[1].sans")
        .doesNotContainKey(secure + "tls.domains[2].main");
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
  void listsEachDomainOnceInItsGivenOrder() {
    assertThat(
            TraefikLabels.forService(
                spec("b.example.com", "a.example.com", "b.example.com").build()))
        .containsEntry(
            "traefik.http.routers.syn-shop-web-973756-secure.rule",
            "Host(`b.example.com`) || Host(`a.example.com`)");
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

    String lb = "traefik.http.services.syn-shop-web-973756.loadbalancer.";
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
            "traefik.http.routers.syn-shop-web-973756-secure.tls.certresolver", "dns-cloudflare");
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
                    "traefik\\.http\\.(routers|services|middlewares)\\.syn-blog-api-ef4ad5(-secure|-http|-https)?\\..+"));
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

  @Test
  void namesOfServicesThatReadAlikeNeverClash() {
    ServiceRef first = new ServiceRef("k3x9a2", "a-b", "c");
    ServiceRef second = new ServiceRef("k3x9a2", "a", "b-c");
    assertThat(TraefikRule.baseName(first)).isNotEqualTo(TraefikRule.baseName(second));
  }
}
