package dev.syntra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Roles and scopes hold on every endpoint: a viewer (even one holding a token with every scope) and
 * a read-only token (even of the owner) get 403 from every mutating endpoint of their own
 * organization. Revoked, unknown and malformed tokens get 401.
 */
class AccessControlTest extends ServerTestSupport {
  /**
   * Mutations a viewer or read-only token may make, each on its own resources only: creating and
   * revoking its own (read-only) API tokens, and joining an organization it was invited to.
   */
  private static final Set<String> SELF_SERVICE =
      Set.of("POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}", "POST /api/v1/invitations/join");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  private RequestMappingHandlerMapping mapping;

  @Test
  void viewersAndReadOnlyTokensCannotMutateAnything() {
    TestResources own = TestResources.create(api, tenants, tenancy);
    Api viewer =
        api.as(tenants.newMember(own.owner(), Role.VIEWER, EnumSet.allOf(Scope.class)).token());
    Api readOnlyOwner = api.as(tenants.newToken(own.owner(), Set.of(Scope.READ)).token());
    int checked = 0;
    for (Endpoints.Endpoint endpoint : Endpoints.of(mapping)) {
      if (!endpoint.mutates()
          || SELF_SERVICE.contains(endpoint.toString())
          || endpoint.pattern().equals("/api/v1/invitations/accept")) {
        continue;
      }
      String path = endpoint.fill(own.ids());
      for (Api client : new Api[] {viewer, readOnlyOwner}) {
        Api.Response response = client.send(endpoint.method(), path, "{}", "application/json");
        assertThat(response.status())
            .as("%s %s: %s", endpoint.method(), path, response)
            .isEqualTo(403);
      }
      checked++;
    }
    System.out.printf(
        "access control: %d mutating endpoints refused to viewers and read-only tokens%n", checked);
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  @Test
  void readOnlyTokensAndViewersCanRead() {
    TestResources own = TestResources.create(api, tenants, tenancy);
    Api viewer = api.as(tenants.newMember(own.owner(), Role.VIEWER, Set.of(Scope.READ)).token());
    assertThat(viewer.get("/api/v1/projects/" + own.ids().get("project")).status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/services/" + own.ids().get("service")).status()).isEqualTo(200);
  }

  @Test
  void revokedUnknownAndMalformedTokensGet401() {
    Tenants.Member member = tenants.newOrganization();
    assertThat(api.as(member.token()).get("/api/v1/projects").status()).isEqualTo(200);
    tenancy.inOrg(
        member.orgId(),
        null,
        h ->
            h.createUpdate("UPDATE api_tokens SET revoked_at = now() WHERE id = :id")
                .bind("id", member.tokenId())
                .execute());
    Api.Response revoked = api.as(member.token()).get("/api/v1/projects");
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.json().get("detail").stringValue()).contains("revoked");
    assertThat(revoked.header("WWW-Authenticate")).startsWith("Bearer");

    assertThat(api.as("syn_pat_" + "x".repeat(36)).get("/api/v1/projects").status()).isEqualTo(401);
    assertThat(api.as("not-a-token").get("/api/v1/projects").status()).isEqualTo(401);
    assertThat(api.as(null).get("/api/v1/projects").status()).isEqualTo(401);
  }

  @Test
  void projectRoleOverridesRaiseAViewerInOneProject() {
    TestResources own = TestResources.create(api, tenants, tenancy);
    Tenants.Member viewer = tenants.newMember(own.owner(), Role.VIEWER, EnumSet.allOf(Scope.class));
    String project = own.ids().get("project");
    tenancy.inOrg(
        own.owner().orgId(),
        null,
        h ->
            h.createUpdate(
                    "INSERT INTO project_members (project_id, org_id, user_id, role)"
                        + " VALUES (:p, :o, :u, 'developer')")
                .bind("p", java.util.UUID.fromString(project))
                .bind("o", own.owner().orgId())
                .bind("u", viewer.userId())
                .execute());
    Api client = api.as(viewer.token());
    assertThat(client.patch("/api/v1/projects/" + project, Map.of("description", "mine")).status())
        .isEqualTo(200);
    String other =
        TestResources.created(
            api.as(own.owner().token()).post("/api/v1/projects", Map.of("name", "other")));
    assertThat(client.patch("/api/v1/projects/" + other, Map.of("description", "no")).status())
        .isEqualTo(403);
  }
}
