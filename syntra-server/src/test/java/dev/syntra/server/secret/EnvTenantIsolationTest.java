package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Another organization's token gets 404 from every env and key endpoint for this organization's
 * ids, with any body and any query, and changes nothing.
 */
class EnvTenantIsolationTest extends ServerTestSupport {

  @Test
  void anotherOrganizationGets404OnEveryEnvEndpoint() {
    EnvFixture a = new EnvFixture(api, tenants, "web");
    String secret = "isolated-" + UUID.randomUUID();
    a.put(a.serviceEnv("web"), Map.of("SECRET", secret));
    a.put(a.projectEnv(), Map.of("SECRET", secret));
    Api b = api.as(tenants.newOrganization().token());

    List<String[]> requests = new ArrayList<>();
    for (String env : List.of(a.serviceEnv("web"), a.projectEnv())) {
      requests.add(new String[] {"GET", env, null, null});
      requests.add(new String[] {"GET", env + "?reveal=true", null, null});
      requests.add(new String[] {"GET", env + "?format=dotenv&reveal=true", null, null});
      requests.add(
          new String[] {
            "PUT", env, "{\"vars\":{\"SECRET\":\"x\"},\"replace\":true}", "application/json"
          });
      requests.add(new String[] {"PUT", env, "{}", "application/json"});
      requests.add(new String[] {"PUT", env + "?replace=true", "SECRET=x\n", "text/plain"});
      requests.add(new String[] {"DELETE", env + "/SECRET", null, null});
      requests.add(new String[] {"DELETE", env + "/MISSING", null, null});
    }
    requests.add(
        new String[] {"GET", "/api/v1/services/" + a.service("web") + "/env/resolved", null, null});
    requests.add(
        new String[] {
          "POST", "/api/v1/organizations/" + a.owner.orgId() + "/keys/rotate", null, null
        });

    for (String[] r : requests) {
      Api.Response response = b.send(r[0], r[1], r[2], r[3]);
      assertThat(response.status()).as("%s %s: %s", r[0], r[1], response).isEqualTo(404);
      assertThat(response.text()).doesNotContain(secret);
    }
    assertThat(a.revealed(a.serviceEnv("web"))).containsExactly(Map.entry("SECRET", secret));
    assertThat(a.revealed(a.projectEnv())).containsExactly(Map.entry("SECRET", secret));
    assertThat(a.audit(tenancy)).extracting(Map.Entry::getKey).doesNotContain("keys.rotated");
  }
}
