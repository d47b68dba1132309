package dev.syntra.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TokensApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void createsListsAndRevokesATokenWhichIsThenRefused() {
    Api.Response created =
        client.post(
            "/api/v1/tokens",
            Map.of("name", "ci", "scopes", List.of("read", "deploy"), "expires_in_days", 30));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode token = created.json();
    String id = token.get("id").stringValue();
    String value = token.get("token").stringValue();
    assertThat(ApiTokens.FORMAT.isWellFormed(value)).isTrue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/tokens/" + id);
    assertThat(token.get("org_id").stringValue()).isEqualTo(owner.orgId().toString());
    assertThat(token.get("scopes").toString()).isEqualTo("[\"deploy\",\"read\"]");
    assertThat(token.get("expires_at").isNull()).isFalse();

    Api ci = api.as(value);
    assertThat(ci.get("/api/v1/projects").status()).isEqualTo(200);
    Api.Response list = client.get("/api/v1/tokens");
    assertThat(list.text()).contains(id).doesNotContain(value).doesNotContain("sha256");
    assertThat(list.json().get("data")).hasSize(2);
    JsonNode shown = client.get("/api/v1/tokens/" + id).json();
    assertThat(shown.get("status").stringValue()).isEqualTo("active");
    assertThat(shown.get("last_used_at").isNull()).isFalse();
    assertThat(shown.has("token")).isFalse();

    assertThat(client.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
    Api.Response refused = ci.get("/api/v1/projects");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().get("detail").stringValue()).contains("revoked");
    assertThat(client.get("/api/v1/tokens/" + id).json().get("status").stringValue())
        .isEqualTo("revoked");
    assertThat(client.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
    String audit = client.get("/api/v1/audit-log?target_type=token&target_id=" + id).text();
    assertThat(audit).contains("token.created").contains("token.revoked").doesNotContain(value);
  }

  @Test
  void aTokenCannotMintMoreScopesThanItHas() {
    Api readOnly = api.as(tenants.newToken(owner, Set.of(Scope.READ)).token());
    Api.Response escalated =
        readOnly.post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of("write")));
    assertThat(escalated.status()).isEqualTo(403);
    assertThat(escalated.json().get("detail").stringValue()).contains("write");
    assertThat(
            readOnly
                .post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of("read")))
                .status())
        .isEqualTo(201);

    Api deployer = api.as(tenants.newToken(owner, Set.of(Scope.DEPLOY)).token());
    assertThat(
            deployer
                .post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of("read", "deploy")))
                .status())
        .isEqualTo(201);
    assertThat(
            deployer
                .post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of("admin")))
                .status())
        .isEqualTo(403);
    // admin implies every scope.
    assertThat(
            client
                .post(
                    "/api/v1/tokens",
                    Map.of("name", "x", "scopes", List.of("read", "write", "deploy", "admin")))
                .status())
        .isEqualTo(201);
  }

  @Test
  void aMintedTokenNeverOutlivesItsCreator() {
    Api.Response shortLived =
        client.post(
            "/api/v1/tokens",
            Map.of("name", "short", "scopes", List.of("read"), "expires_in_days", 1));
    Api creator = api.as(shortLived.json().get("token").stringValue());
    Api.Response longer =
        creator.post(
            "/api/v1/tokens", Map.of("name", "x", "scopes", List.of("read"), "expires_in_days", 2));
    assertThat(longer.status()).isEqualTo(400);
    assertThat(longer.json().get("errors").get(0).get("path").stringValue())
        .isEqualTo("$.expires_in_days");
    Api.Response inherited =
        creator.post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of("read")));
    assertThat(inherited.status()).isEqualTo(201);
    assertThat(inherited.json().get("expires_at").stringValue())
        .isEqualTo(shortLived.json().get("expires_at").stringValue());
  }

  @Test
  void mintsOnlyInTheCallingTokensOwnOrganization() {
    Tenants.Member other = tenants.newOrganization();
    Api.Response foreign =
        client.post(
            "/api/v1/tokens",
            Map.of("name", "x", "org_id", other.orgId().toString(), "scopes", List.of("read")));
    assertThat(foreign.status()).isEqualTo(404);
    Api.Response unknown =
        client.post(
            "/api/v1/tokens",
            Map.of("name", "x", "org_id", UUID.randomUUID().toString(), "scopes", List.of("read")));
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void refusesBadBodiesWithFieldPaths() {
    Api.Response bad =
        client.post(
            "/api/v1/tokens",
            Map.of(
                "name", "",
                "org_id", "nope",
                "scopes", List.of("read", "root"),
                "expires_in_days", 0,
                "colour", "red"));
    assertThat(bad.status()).isEqualTo(400);
    Set<String> paths = new HashSet<>();
    bad.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "$.name", "$.org_id", "$.scopes[1]", "$.expires_in_days", "$.colour");
    Api.Response empty = client.post("/api/v1/tokens", Map.of("name", "x", "scopes", List.of()));
    assertThat(empty.status()).isEqualTo(400);
  }

  @Test
  void listingEveryMembersTokensAndRevokingThemNeedsAdmin() {
    Tenants.Member dev = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    Tenants.Member admin = tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class));
    Api asDev = api.as(dev.token());
    Api asAdmin = api.as(admin.token());

    assertThat(asDev.get("/api/v1/tokens?all=true").status()).isEqualTo(403);
    assertThat(asDev.get("/api/v1/tokens").json().get("data")).hasSize(1);
    JsonNode all = client.get("/api/v1/tokens?all=true&limit=200").json().get("data");
    assertThat(all).hasSize(3);

    assertThat(asDev.get("/api/v1/tokens/" + owner.tokenId()).status()).isEqualTo(403);
    assertThat(asDev.delete("/api/v1/tokens/" + owner.tokenId()).status()).isEqualTo(403);
    // Admins revoke members' tokens, but an owner's only an owner.
    assertThat(asAdmin.delete("/api/v1/tokens/" + owner.tokenId()).status()).isEqualTo(403);
    assertThat(asAdmin.delete("/api/v1/tokens/" + dev.tokenId()).status()).isEqualTo(204);
    assertThat(asDev.get("/api/v1/projects").status()).isEqualTo(401);
    assertThat(client.delete("/api/v1/tokens/" + admin.tokenId()).status()).isEqualTo(204);
    assertThat(client.get("/api/v1/tokens/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void aViewerRevokesOnlyTheirOwnToken() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, Set.of(Scope.READ));
    Api asViewer = api.as(viewer.token());
    assertThat(asViewer.delete("/api/v1/tokens/" + owner.tokenId()).status()).isEqualTo(403);
    assertThat(asViewer.delete("/api/v1/tokens/" + viewer.tokenId()).status()).isEqualTo(204);
    assertThat(asViewer.get("/api/v1/tokens").status()).isEqualTo(401);
  }

  @Test
  void anotherOrganizationsTokensAreNotFound() {
    Tenants.Member other = tenants.newOrganization();
    assertThat(client.get("/api/v1/tokens/" + other.tokenId()).status()).isEqualTo(404);
    assertThat(client.delete("/api/v1/tokens/" + other.tokenId()).status()).isEqualTo(404);
    assertThat(api.as(other.token()).get("/api/v1/projects").status()).isEqualTo(200);
    assertThat(client.get("/api/v1/tokens?all=true").text())
        .doesNotContain(other.tokenId().toString());
  }
}
