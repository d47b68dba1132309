package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.api.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code ${{…}}} references resolved for a deployment (spec FR-7.2.3). */
class EnvReferencesApiTest extends ServerTestSupport {
  @Autowired private EnvVars envVars;
  private EnvFixture shop;

  @BeforeEach
  void setUp() {
    shop = new EnvFixture(api, tenants, "web", "api", "postgres");
  }

  private String resolvedPath(String service) {
    return "/api/v1/services/" + shop.service(service) + "/env/resolved";
  }

  @Test
  void resolvesReferencesAndInternalDnsNamesForADeployment() {
    shop.put(shop.projectEnv(), Map.of("REGION", "eu", "LOG_LEVEL", "info"));
    shop.put(
        shop.serviceEnv("postgres"),
        Map.of(
            "POSTGRES_PASSWORD", "pw",
            "DATABASE_URL",
                "postgres://app:${{service.POSTGRES_PASSWORD}}@${{service.SYNTRA_INTERNAL_DNS}}:5432/app"));
    shop.put(
        shop.serviceEnv("web"),
        Map.of(
            "DATABASE_URL", "${{postgres.DATABASE_URL}}",
            "API_URL", "http://${{api.SYNTRA_INTERNAL_DNS}}:8080",
            "LOG_LEVEL", "debug",
            "BANNER", "${{project.REGION}}/${{service.LOG_LEVEL}}",
            "TEMPLATE", "$${{api.URL}}"));

    Api.Response resolved = shop.client.get(resolvedPath("web"));
    assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
    assertThat(resolved.header("Cache-Control")).contains("no-store");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("API_URL", "http://api.shop.internal:8080");
    expected.put("BANNER", "eu/debug");
    expected.put("DATABASE_URL", "postgres://app:pw@postgres.shop.internal:5432/app");
    expected.put("LOG_LEVEL", "debug");
    expected.put("REGION", "eu");
    expected.put("TEMPLATE", "${{api.URL}}");
    Map<String, String> vars = new LinkedHashMap<>();
    resolved
        .json()
        .get("vars")
        .properties()
        .forEach(e -> vars.put(e.getKey(), e.getValue().stringValue()));
    assertThat(vars).containsExactlyEntriesOf(expected);

    Map<String, String> forDeploy =
        tenancy.inOrg(
            shop.owner.orgId(),
            null,
            h ->
                envVars.resolveForDeploy(
                    h, shop.owner.orgId(), UUID.fromString(shop.service("web"))));
    assertThat(forDeploy).containsExactlyEntriesOf(expected);

    assertThat(shop.audit(tenancy))
        .filteredOn(e -> e.getKey().equals("env.revealed"))
        .singleElement()
        .satisfies(e ->
            assertThat(e.getValue())
                .contains("\"resolved\": true", "DATABASE_URL")
                .doesNotContain("pw@"));
  }

  @Test
  void cyclesAndUnknownReferencesAre422NamingThePath() {
    shop.put(shop.serviceEnv("web"), Map.of("API_URL", "http://${{api.URL}}/v1"));
    shop.put(shop.serviceEnv("api"), Map.of("URL", "${{web.API_URL}}"));
    Api.Response cycle = shop.client.get(resolvedPath("web"));
    assertThat(cycle.status()).isEqualTo(422);
    assertThat(cycle.json().get("code").stringValue()).isEqualTo("unresolved_reference");
    assertThat(cycle.json().get("detail").stringValue())
        .isEqualTo(
            "the environment of service 'web' cannot be resolved: reference cycle:"
                + " web.API_URL -> api.URL -> web.API_URL");

    shop.put(shop.serviceEnv("api"), Map.of("URL", "${{cache.URL}}"));
    assertThat(shop.client.get(resolvedPath("web")).json().get("detail").stringValue())
        .endsWith(
            "api.URL references ${{cache.URL}}, but the project has no service named 'cache'");

    shop.put(shop.serviceEnv("api"), Map.of("URL", "${{postgres.URL}}"));
    assertThat(shop.client.get(resolvedPath("web")).json().get("detail").stringValue())
        .endsWith(
            "api.URL references ${{postgres.URL}}, but neither service 'postgres' nor the project"
                + " has a variable URL");

    // Unrelated services resolve whatever the others hold.
    assertThat(shop.client.get(resolvedPath("postgres")).status()).isEqualTo(200);
    assertThat(shop.audit(tenancy)).extracting(Map.Entry::getKey).containsOnlyOnce("env.revealed");
  }

  @Test
  void resolvingAnotherOrganizationsServiceIsNotFound() {
    Tenants.Member other = tenants.newOrganization();
    assertThatThrownBy(() ->
            tenancy.inOrg(
                other.orgId(),
                null,
                h ->
                    envVars.resolveForDeploy(
                        h, other.orgId(), UUID.fromString(shop.service("web")))))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status().value()).isEqualTo(404));
  }
}
