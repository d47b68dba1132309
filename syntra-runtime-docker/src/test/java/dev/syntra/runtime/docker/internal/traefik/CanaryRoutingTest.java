package dev.syntra.runtime.docker.internal.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanaryRoutingTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final List<String> STABLE =
      List.of("http://syn-shop-web-aaaa1111-0:8080", "http://syn-shop-web-aaaa1111-1:8080");
  private static final List<String> CANARY = List.of("http://syn-shop-web-bbbb2222-0:8080");

  @TempDir Path dir;

  private static DeploySpec spec(String... domains) {
    DeploySpec.Builder builder =
        DeploySpec.builder("dep-2", WEB, "127.0.0.1:5000/shop/web:2")
            .port(PortMapping.tcp(8080))
            .healthCheck(HealthCheck.http("/health", 8080));
    for (String domain : domains) {
      builder.domain(domain);
    }
    return builder.build();
  }

  private String written(ServiceRef service) throws IOException {
    return Files.readString(dir.resolve(TraefikRule.baseName(service) + ".yml"));
  }

  @Test
  void writesAPriorityRouterToAWeightedServiceOverStableAndCanaryServers() throws IOException {
    new CanaryRouting(dir).write(spec("shop.example.com"), STABLE, CANARY, 10);

    assertThat(written(WEB))
        .isEqualTo(
            """
            # Managed by Syntra: canary routing of k3x9a2/shop/web (10% to deployment dep-2). Replaced atomically; do not edit.
            http:
              routers:
                "syn-k3x9a2-shop-web-71b2fd-951623-canary-secure":
                  rule: "Host(`shop.example.com`)"
                  entryPoints:
                    - "websecure"
                  priority: 21
                  service: "syn-k3x9a2-shop-web-71b2fd-weighted"
                  tls:
                    certResolver: "letsencrypt"
              services:
                "syn-k3x9a2-shop-web-71b2fd-weighted":
                  weighted:
                    services:
                      - name: "syn-k3x9a2-shop-web-71b2fd-stable"
                        weight: 90
                      - name: "syn-k3x9a2-shop-web-71b2fd-canary"
                        weight: 10
                "syn-k3x9a2-shop-web-71b2fd-stable":
                  loadBalancer:
                    servers:
                      - url: "http://syn-shop-web-aaaa1111-0:8080"
                      - url: "http://syn-shop-web-aaaa1111-1:8080"
                    healthCheck:
                      path: "/health"
                      interval: "5s"
                      timeout: "3s"
                "syn-k3x9a2-shop-web-71b2fd-canary":
                  loadBalancer:
                    servers:
                      - url: "http://syn-shop-web-bbbb2222-0:8080"
                    healthCheck:
                      path: "/health"
                      interval: "5s"
                      timeout: "3s"
            """);
  }

  @Test
  void fileParsesToTheRoutesOfTheLabelRouter() throws IOException {
    DeploySpec spec = spec("*.example.com", "shop.example.com");
    new CanaryRouting(dir, "dns", java.time.Duration.ZERO).write(spec, STABLE, CANARY, 25);

    Map<String, Object> yaml = TraefikYamlReader.parse(written(WEB));
    Map<String, String> labels = TraefikLabels.forService(spec, "dns");
    for (String domain : List.of("*.example.com", "shop.example.com")) {
      String r = TraefikRule.routerName(WEB, domain);
      Map<String, Object> router =
          TraefikYamlReader.at(yaml, "http", "routers", r + "-canary-secure");
      long labelPriority =
          Long.parseLong(labels.get("traefik.http.routers." + r + "-secure.priority"));
      assertThat(router)
          .containsEntry("rule", labels.get("traefik.http.routers." + r + "-secure.rule"))
          .containsEntry("entryPoints", List.of("websecure"))
          .containsEntry("priority", labelPriority + 1)
          .containsEntry("service", "syn-k3x9a2-shop-web-71b2fd-weighted");
      assertThat(TraefikYamlReader.at(router, "tls")).containsEntry("certResolver", "dns");
    }
    assertThat(
            TraefikYamlReader.at(
                yaml,
                "http",
                "routers",
                TraefikRule.routerName(WEB, "*.example.com") + "-canary-secure",
                "tls"))
        .containsEntry(
            "domains", List.of(Map.of("main", "example.com", "sans", List.of("*.example.com"))));
    assertThat(
            TraefikYamlReader.at(
                yaml, "http", "services", "syn-k3x9a2-shop-web-71b2fd-weighted", "weighted"))
        .containsEntry(
            "services",
            List.of(
                Map.of("name", "syn-k3x9a2-shop-web-71b2fd-stable", "weight", 75L),
                Map.of("name", "syn-k3x9a2-shop-web-71b2fd-canary", "weight", 25L)));
    assertThat(
            TraefikYamlReader.at(
                yaml, "http", "services", "syn-k3x9a2-shop-web-71b2fd-canary", "loadBalancer"))
        .containsEntry("servers", List.of(Map.of("url", CANARY.get(0))));
  }

  @Test
  void aCanaryRouterOutranksOnlyItsOwnServicesRoutersForTheSameHost() throws IOException {
    new CanaryRouting(dir).write(spec("*.example.com"), STABLE, CANARY, 10);
    Map<String, Object> yaml = TraefikYamlReader.parse(written(WEB));
    Map<String, Object> canary =
        TraefikYamlReader.at(
            yaml,
            "http",
            "routers",
            TraefikRule.routerName(WEB, "*.example.com") + "-canary-secure");

    ServiceRef other = new ServiceRef("zz9", "other", "site");
    DeploySpec exact =
        DeploySpec.builder("dep-1", other, "127.0.0.1:5000/x:1")
            .port(PortMapping.tcp(80))
            .domain("victim.example.com")
            .build();
    long exactPriority =
        Long.parseLong(
            TraefikLabels.forService(exact)
                .get(
                    "traefik.http.routers."
                        + TraefikRule.routerName(other, "victim.example.com")
                        + "-secure.priority"));
    long ownWildcard =
        Long.parseLong(
            TraefikLabels.forService(spec("*.example.com"))
                .get(
                    "traefik.http.routers."
                        + TraefikRule.routerName(WEB, "*.example.com")
                        + "-secure.priority"));
    assertThat((Long) canary.get("priority")).isGreaterThan(ownWildcard).isLessThan(exactPriority);
  }

  @Test
  void escapesTheRegexpOfAWildcardInItsQuotedRule() throws IOException {
    new CanaryRouting(dir).write(spec("*.example.com"), STABLE, CANARY, 10);

    assertThat(written(WEB))
        .contains("rule: \"HostRegexp(`(?i)^[a-z0-9-]+\\\\.example\\\\.com(:[0-9]+)?$`)\"")
        .doesNotContain("{{");
  }

  @Test
  void leavesOutTheSideWithoutWeight() throws IOException {
    CanaryRouting routing = new CanaryRouting(dir);

    routing.write(spec("shop.example.com"), List.of(), CANARY, 100);
    Map<String, Object> promoted = TraefikYamlReader.parse(written(WEB));
    assertThat(TraefikYamlReader.at(promoted, "http", "services"))
        .containsOnlyKeys(
            "syn-k3x9a2-shop-web-71b2fd-weighted", "syn-k3x9a2-shop-web-71b2fd-canary");
    assertThat(
            TraefikYamlReader.at(
                promoted, "http", "services", "syn-k3x9a2-shop-web-71b2fd-weighted", "weighted"))
        .containsEntry(
            "services",
            List.of(Map.of("name", "syn-k3x9a2-shop-web-71b2fd-canary", "weight", 100L)));

    routing.write(spec("shop.example.com"), STABLE, List.of(), 0);
    Map<String, Object> aborted = TraefikYamlReader.parse(written(WEB));
    assertThat(TraefikYamlReader.at(aborted, "http", "services"))
        .containsOnlyKeys(
            "syn-k3x9a2-shop-web-71b2fd-weighted", "syn-k3x9a2-shop-web-71b2fd-stable");
  }

  @Test
  void probesTheHealthCheckPortWhenItIsNotTheServedPort() throws IOException {
    DeploySpec spec =
        spec("shop.example.com").toBuilder()
            .port(PortMapping.tcp(9090))
            .healthCheck(HealthCheck.http("/ready", 9090))
            .build();
    new CanaryRouting(dir).write(spec, STABLE, CANARY, 10);

    assertThat(
            TraefikYamlReader.at(
                TraefikYamlReader.parse(written(WEB)),
                "http",
                "services",
                "syn-k3x9a2-shop-web-71b2fd-stable",
                "loadBalancer",
                "healthCheck"))
        .isEqualTo(Map.of("path", "/ready", "interval", "5s", "timeout", "3s", "port", 9090L));
  }

  @Test
  void refusesInputThatWouldRouteNowhereOrInjectSyntax() {
    CanaryRouting routing = new CanaryRouting(dir);
    assertThatThrownBy(() -> routing.write(spec(), STABLE, CANARY, 10))
        .hasMessageStartingWith("spec:");
    assertThatThrownBy(() -> routing.write(spec("a.example.com"), STABLE, CANARY, 101))
        .hasMessageStartingWith("canaryWeightPercent:");
    assertThatThrownBy(() -> routing.write(spec("a.example.com"), STABLE, List.of(), 10))
        .hasMessageStartingWith("canaryUrls:");
    assertThatThrownBy(() -> routing.write(spec("a.example.com"), List.of(), CANARY, 99))
        .hasMessageStartingWith("stableUrls:");
    for (String url :
        List.of(
            "http://a:80\"\n  x: y", "http://{{env}}:80", "ftp://a:21", "http://10.0.0.1:80/p")) {
      assertThatThrownBy(() -> routing.write(spec("a.example.com"), List.of(url), CANARY, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("stableUrls[0]:");
    }
    DeploySpec braces =
        spec("a.example.com").toBuilder().healthCheck(HealthCheck.http("/{{env}}", 8080)).build();
    assertThatThrownBy(() -> routing.write(braces, STABLE, CANARY, 10))
        .hasMessageStartingWith("health_check.path:");
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void replacesTheFileWithoutLeavingTemporaryFiles() throws IOException {
    CanaryRouting routing = new CanaryRouting(dir.resolve("dynamic"));
    routing.write(spec("shop.example.com"), STABLE, CANARY, 10);
    routing.write(spec("shop.example.com"), STABLE, CANARY, 50);

    Path file = routing.fileFor(WEB);
    try (Stream<Path> files = Files.list(dir.resolve("dynamic"))) {
      assertThat(files).containsExactly(file);
    }
    assertThat(Files.readString(file)).contains("weight: 50").doesNotContain("weight: 90");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void aConcurrentReaderOnlyEverSeesACompleteFile() throws Exception {
    CanaryRouting routing = new CanaryRouting(dir);
    Path file = routing.fileFor(WEB);
    String ten = routing.render(spec("shop.example.com"), STABLE, CANARY, 10);
    String sixty = routing.render(spec("shop.example.com"), STABLE, CANARY, 60);
    routing.write(spec("shop.example.com"), STABLE, CANARY, 10);

    AtomicBoolean writing = new AtomicBoolean(true);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(() -> {
          while (writing.get()) {
            try {
              seen.add(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
              throw new AssertionError("the file must always exist", e);
            }
          }
        });
    for (int i = 0; i < 100; i++) {
      routing.write(spec("shop.example.com"), STABLE, CANARY, i % 2 == 0 ? 60 : 10);
    }
    writing.set(false);
    reader.get();

    assertThat(seen).isNotEmpty().isSubsetOf(ten, sixty);
  }

  @Test
  void removeDeletesTheFileAndIsIdempotent() throws IOException {
    CanaryRouting routing = new CanaryRouting(dir);
    routing.write(spec("shop.example.com"), STABLE, CANARY, 10);
    ServiceRef other = new ServiceRef("k3x9a2", "shop", "api");
    routing.write(
        DeploySpec.builder("dep-3", other, "busybox")
            .port(PortMapping.tcp(80))
            .domain("api.example.com")
            .build(),
        List.of("http://syn-shop-api-cccc3333-0:80"),
        List.of("http://syn-shop-api-dddd4444-0:80"),
        10);

    routing.remove(WEB);
    routing.remove(WEB);
    routing.remove(new ServiceRef("k3x9a2", "never", "deployed"));

    assertThat(routing.fileFor(WEB)).doesNotExist();
    assertThat(routing.fileFor(other)).exists();
    assertThatThrownBy(() -> written(WEB)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void quotesEveryCharacterThatCouldEndOrBreakAScalar() {
    assertThat(TraefikYaml.quote("a\"b\\c\nd\te\u0001f\u2028"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
    assertThat(TraefikYamlReader.unquote(TraefikYaml.quote("x: \"y\" \\z\n# w")))
        .isEqualTo("x: \"y\" \\z\n# w");
  }

  @Test
  void theYamlReaderOfTheseTestsRejectsMalformedFiles() {
    for (String malformed :
        List.of(
            "http:\n  routers: \"unterminated\n",
            "http:\n  a: 1\n   b: 2\n",
            "http:\n\ta: 1\n",
            "http:\n  a: 1\n  a: 2\n",
            "http:\n  a: plain\n",
            "http:\n  a: \"bad \\q escape\"\n",
            "http:\n  a: 1\nno colon\n")) {
      assertThatThrownBy(() -> TraefikYamlReader.parse(malformed))
          .as(malformed)
          .isInstanceOf(AssertionError.class);
    }
  }
}
