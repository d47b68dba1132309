package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.Endpoints;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.TestResources;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The access endpoints (organizations, members, invitations, tokens, servers, deployments, audit
 * log), walked as the running server maps them: another organization gets 404 for every id of ours,
 * viewers and read-only tokens get 403 for every mutation, and no listing leaks.
 */
class AccessBoundariesTest extends ServerTestSupport {
  private static final List<String> OURS =
      List.of(
          "/api/v1/organizations",
          "/api/v1/invitations",
          "/api/v1/tokens",
          "/api/v1/servers",
          "/api/v1/deployments",
          "/api/v1/services/{serviceId}/deployments",
          "/api/v1/projects/{projectId}/members",
          "/api/v1/audit-log");

  /** A token is its user's own: any token may mint (weaker) tokens and revoke its own. */
  private static final Set<String> SELF_SERVICE =
      Set.of(
          "POST /api/v1/tokens",
          "DELETE /api/v1/tokens/{id}",
          "POST /api/v1/invitations/accept",
          "POST /api/v1/invitations/join");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  private RequestMappingHandlerMapping mapping;

  @Test
  void anotherOrganizationGets404OnEveryEndpointWithAnId() {
    TestResources a = TestResources.create(api, tenants, tenancy);
    Map<String, String> ids = withServerAndInvitation(a);
    Api b = api.as(tenants.newOrganization().token());
    int checked = 0;
    for (Endpoints.Endpoint endpoint : ours()) {
      if (!endpoint.hasVariables()) {
        continue;
      }
      String path = endpoint.fill(ids);
      Api.Response response = b.send(endpoint.method(), path, "{}", "application/json");
      assertThat(response.status())
          .as("%s %s: %s", endpoint.method(), path, response)
          .isEqualTo(404);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(20);
  }

  @Test
  void viewersAndReadOnlyTokensCannotMutateAnything() {
    TestResources own = TestResources.create(api, tenants, tenancy);
    Map<String, String> ids = withServerAndInvitation(own);
    Api viewer =
        api.as(tenants.newMember(own.owner(), Role.VIEWER, EnumSet.allOf(Scope.class)).token());
    Api readOnlyOwner = api.as(tenants.newToken(own.owner(), Set.of(Scope.READ)).token());
    int checked = 0;
    for (Endpoints.Endpoint endpoint : ours()) {
      if (!endpoint.mutates() || SELF_SERVICE.contains(endpoint.toString())) {
        continue;
      }
      String path = endpoint.fill(ids);
      for (Api client : new Api[] {viewer, readOnlyOwner}) {
        Api.Response response = client.send(endpoint.method(), path, "{}", "application/json");
        assertThat(response.status())
            .as("%s %s: %s", endpoint.method(), path, response)
            .isEqualTo(403);
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void noListingShowsAnotherOrganizationsData() {
    TestResources a = TestResources.create(api, tenants, tenancy);
    Map<String, String> ids = withServerAndInvitation(a);
    Api b = api.as(tenants.newOrganization().token());
    for (Endpoints.Endpoint endpoint : ours()) {
      if (endpoint.mutates() || endpoint.hasVariables()) {
        continue;
      }
      Api.Response response = b.get(endpoint.pattern());
      assertThat(response.status()).as("%s: %s", endpoint, response).isEqualTo(200);
      for (Map.Entry<String, String> id : ids.entrySet()) {
        assertThat(response.text())
            .as("%s shows organization A's %s", endpoint, id.getKey())
            .doesNotContain(id.getValue());
      }
    }
  }

  private List<Endpoints.Endpoint> ours() {
    return Endpoints.of(mapping).stream()
        .filter(e -> OURS.stream().anyMatch(prefix -> e.pattern().startsWith(prefix)))
        .toList();
  }

  /** The shared test resources plus the kinds only these endpoints name. */
  private Map<String, String> withServerAndInvitation(TestResources resources) {
    Api owner = api.as(resources.owner().token());
    Map<String, String> ids = new HashMap<>(resources.ids());
    Api.Response server = owner.post("/api/v1/servers", Map.of("name", "walker"));
    assertThat(server.status()).as(server.toString()).isEqualTo(201);
    ids.put("server", server.json().get("server").get("id").stringValue());
    Api.Response invitation =
        owner.post(
            "/api/v1/organizations/" + resources.owner().orgId() + "/invitations",
            Map.of("email", "walker@example.com", "role", "viewer"));
    assertThat(invitation.status()).as(invitation.toString()).isEqualTo(201);
    ids.put("invitation", invitation.json().get("id").stringValue());
    return ids;
  }
}
