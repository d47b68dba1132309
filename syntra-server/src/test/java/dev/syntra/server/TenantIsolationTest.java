package dev.syntra.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Organization B must never see organization A: every endpoint that names a resource answers 404
 * for each of A's resources (the same answer as for an id that does not exist, so B cannot even
 * learn which ids exist), and no listing shows any of A's ids. The endpoints come from the running
 * server, so an endpoint added later is covered without editing this test.
 */
class TenantIsolationTest extends ServerTestSupport {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  private RequestMappingHandlerMapping mapping;

  @Test
  void anotherOrganizationGets404ForEveryResourceOnEveryEndpoint() {
    TestResources a = TestResources.create(api, tenants, tenancy);
    Api b = api.as(tenants.newOrganization().token());
    List<Endpoints.Endpoint> endpoints = Endpoints.of(mapping);
    int checked = 0;
    for (Endpoints.Endpoint endpoint : endpoints) {
      if (!endpoint.hasVariables()) {
        continue;
      }
      String path = endpoint.fill(a.ids());
      Api.Response response = b.send(endpoint.method(), path, "{}", "application/json");
      assertThat(response.status())
          .as("%s as another organization: %s", path, response)
          .isEqualTo(404);
      assertThat(response.text()).doesNotContain(a.secretMarker());
      checked++;
    }
    System.out.printf("tenant isolation: %d endpoints with ids checked, all 404%n", checked);
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void noListingShowsAnotherOrganizationsData() {
    TestResources a = TestResources.create(api, tenants, tenancy);
    Api b = api.as(tenants.newOrganization().token());
    for (Endpoints.Endpoint endpoint : Endpoints.of(mapping)) {
      if (endpoint.mutates() || endpoint.hasVariables()) {
        continue;
      }
      Api.Response response = b.get(endpoint.pattern());
      assertThat(response.status()).as("%s: %s", endpoint, response).isLessThan(500);
      for (Map.Entry<String, String> id : a.ids().entrySet()) {
        assertThat(response.text())
            .as("%s shows organization A's %s", endpoint, id.getKey())
            .doesNotContain(id.getValue());
      }
    }
  }
}
