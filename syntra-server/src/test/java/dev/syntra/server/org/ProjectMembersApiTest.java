package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectMembersApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;
  private String project;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
    project =
        client.post("/api/v1/projects", Map.of("name", "shop")).json().get("id").stringValue();
  }

  @Test
  void anOverrideRaisesAViewerInOneProjectUntilRemoved() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    String path = "/api/v1/projects/" + project + "/members/" + viewer.userId();
    Api asViewer = api.as(viewer.token());
    assertThat(patchProject(asViewer)).isEqualTo(403);

    Api.Response created = client.put(path, Map.of("role", "developer"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("role").stringValue()).isEqualTo("developer");
    assertThat(created.json().get("org_role").stringValue()).isEqualTo("viewer");
    assertThat(patchProject(asViewer)).isEqualTo(200);

    Api.Response replaced = client.put(path, Map.of("role", "viewer"));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(asViewer.get(path).json().get("role").stringValue()).isEqualTo("viewer");
    assertThat(client.get("/api/v1/projects/" + project + "/members").json().get("data"))
        .hasSize(1);

    assertThat(client.delete(path).status()).isEqualTo(204);
    assertThat(client.get(path).status()).isEqualTo(404);
    assertThat(client.delete(path).status()).isEqualTo(404);
    String audit = client.get("/api/v1/audit-log?target_type=project_member").text();
    assertThat(audit).contains("project_member.updated").contains("project_member.removed");
  }

  @Test
  void refusesBadRolesNonMembersAndAdmins() {
    Tenants.Member admin = tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class));
    String base = "/api/v1/projects/" + project + "/members/";
    Api.Response bad = client.put(base + admin.userId(), Map.of("role", "owner"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(OrganizationsApiTest.paths(bad)).containsExactly("$.role");
    assertThat(client.put(base + admin.userId(), Map.of("role", "viewer")).status()).isEqualTo(409);
    assertThat(client.put(base + UUID.randomUUID(), Map.of("role", "viewer")).status())
        .isEqualTo(404);
    assertThat(
            client
                .put(
                    "/api/v1/projects/" + UUID.randomUUID() + "/members/" + admin.userId(),
                    Map.of("role", "viewer"))
                .status())
        .isEqualTo(404);
  }

  @Test
  void onlyAdminsSetOverrides() {
    Tenants.Member dev = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    String path = "/api/v1/projects/" + project + "/members/" + viewer.userId();
    assertThat(api.as(dev.token()).put(path, Map.of("role", "developer")).status()).isEqualTo(403);
    assertThat(api.as(viewer.token()).put(path, Map.of("role", "admin")).status()).isEqualTo(403);
    assertThat(api.as(viewer.token()).delete(path).status()).isEqualTo(403);
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.put(path, Map.of("role", "developer")).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/projects/" + project + "/members").status()).isEqualTo(404);
  }

  private int patchProject(Api as) {
    return as.patch("/api/v1/projects/" + project, Map.of("description", "x")).status();
  }
}
