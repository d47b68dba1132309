package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OrganizationsApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void foundsAnOrganizationAndAnswersAnOwnerTokenForIt() {
    String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response created =
        client.post("/api/v1/organizations", Map.of("name", "Acme Inc", "slug", slug));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode org = created.json();
    String id = org.get("id").stringValue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/organizations/" + id);
    assertThat(org.get("slug").stringValue()).isEqualTo(slug);
    assertThat(org.get("role").stringValue()).isEqualTo("owner");
    assertThat(org.get("plan").stringValue()).isEqualTo("free");
    assertThat(org.get("owner_id").stringValue()).isEqualTo(owner.userId().toString());
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");

    // The creating token still acts in its own organization only.
    assertThat(client.get("/api/v1/organizations/" + id).status()).isEqualTo(404);
    Map<String, String> roles = new HashMap<>();
    client
        .get("/api/v1/organizations")
        .json()
        .get("data")
        .forEach(o -> roles.put(o.get("id").stringValue(), o.get("role").stringValue()));
    assertThat(roles).containsEntry(id, "owner").containsEntry(owner.orgId().toString(), "owner");

    // Tokens act in one organization: the old one cannot mint for the new one...
    Api.Response minted =
        client.post(
            "/api/v1/tokens", Map.of("name", "acme", "org_id", id, "scopes", List.of("admin")));
    assertThat(minted.status()).as(minted.toString()).isEqualTo(404);
    // ...the founder's token in the answer acts there.
    Api acme = api.as(org.get("token").stringValue());
    Api.Response own = acme.get("/api/v1/organizations/" + id);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().get("name").stringValue()).isEqualTo("Acme Inc");
    assertThat(acme.post("/api/v1/projects", Map.of("name", "first")).status()).isEqualTo(201);
  }

  @Test
  void derivesTheSlugFromTheNameAndRefusesTakenSlugs() {
    String name = "Org " + UUID.randomUUID();
    Api.Response created = client.post("/api/v1/organizations", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String slug = created.json().get("slug").stringValue();
    assertThat(slug).startsWith("org-");

    Api.Response again = client.post("/api/v1/organizations", Map.of("name", "x", "slug", slug));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("code").stringValue()).isEqualTo("conflict");
    // Another tenant's slug is taken too, though that tenant is invisible.
    Api stranger = api.as(tenants.newOrganization().token());
    assertThat(stranger.post("/api/v1/organizations", Map.of("name", "x", "slug", slug)).status())
        .isEqualTo(409);
  }

  @Test
  void refusesBadBodiesWithFieldPaths() {
    Api.Response response =
        client.post("/api/v1/organizations", Map.of("name", "", "slug", "Bad Slug", "plan", "pro"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(paths(response)).containsExactlyInAnyOrder("$.name", "$.slug", "$.plan");
    assertThat(client.post("/api/v1/organizations", Map.of("name", "!!!")).status()).isEqualTo(400);
  }

  @Test
  void showsOnlyTheTokensOwnOrganization() {
    Api.Response own = client.get("/api/v1/organizations/" + owner.orgId());
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().get("role").stringValue()).isEqualTo("owner");
    assertThat(own.json().has("key_version")).isFalse();

    Tenants.Member other = tenants.newOrganization();
    assertThat(client.get("/api/v1/organizations/" + other.orgId()).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/organizations/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/organizations/nope").status()).isEqualTo(404);
    assertThat(
            api.as(other.token())
                .get("/api/v1/organizations")
                .text()
                .contains(owner.orgId().toString()))
        .isFalse();
  }

  @Test
  void listsEveryOrganizationOfTheUserWithTheirRole() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, Set.of(Scope.READ));
    JsonNode page = api.as(viewer.token()).get("/api/v1/organizations").json();
    assertThat(page.get("data")).hasSize(1);
    assertThat(page.get("data").get(0).get("role").stringValue()).isEqualTo("viewer");
    assertThat(page.get("next_cursor").isNull()).isTrue();

    for (int i = 0; i < 3; i++) {
      client.post("/api/v1/organizations", Map.of("name", "Paged " + UUID.randomUUID()));
    }
    Set<String> seen = new HashSet<>();
    String cursor = "";
    do {
      JsonNode next = client.get("/api/v1/organizations?limit=2&cursor=" + cursor).json();
      next.get("data").forEach(o -> assertThat(seen.add(o.get("id").stringValue())).isTrue());
      cursor = next.get("next_cursor").isNull() ? null : next.get("next_cursor").stringValue();
    } while (cursor != null);
    assertThat(seen).hasSize(4).contains(owner.orgId().toString());
  }

  @Test
  void theOwnerRenamesButPlanAndSlugAreNotTheirs() {
    String path = "/api/v1/organizations/" + owner.orgId();
    Api.Response renamed = client.patch(path, Map.of("name", "Renamed"));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().get("name").stringValue()).isEqualTo("Renamed");

    Api.Response plan = client.patch(path, Map.of("plan", "enterprise", "slug", "x"));
    assertThat(plan.status()).isEqualTo(400);
    assertThat(paths(plan)).containsExactlyInAnyOrder("$.plan", "$.slug");
    assertThat(client.patch(path, Map.of("name", " ")).status()).isEqualTo(400);
    assertThat(client.get(path).json().get("plan").stringValue()).isEqualTo("free");

    Tenants.Member admin = tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class));
    assertThat(api.as(admin.token()).patch(path, Map.of("name", "Mine")).status()).isEqualTo(403);
    String audit =
        client
            .get("/api/v1/audit-log?action=organization.updated&target_id=" + owner.orgId())
            .text();
    assertThat(audit).contains("organization.updated");
  }

  @Test
  void viewersAndReadOnlyTokensCannotFoundOrganizations() {
    Tenants.Member viewer = tenants.newMember(owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    assertThat(api.as(viewer.token()).post("/api/v1/organizations", Map.of("name", "v")).status())
        .isEqualTo(403);
    Tenants.Member readOnly = tenants.newToken(owner, Set.of(Scope.READ));
    assertThat(api.as(readOnly.token()).post("/api/v1/organizations", Map.of("name", "r")).status())
        .isEqualTo(403);
  }

  @Test
  void foundingIsCappedPerUserEvenWhenRequestsRace() throws Exception {
    // The default cap is 5 organizations founded per user; eight at once leave exactly five.
    List<Integer> statuses;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(
            pool.submit(() -> {
              start.await();
              return client
                  .post("/api/v1/organizations", Map.of("name", "Cap " + UUID.randomUUID()))
                  .status();
            }));
      }
      start.countDown();
      statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
    }
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 403).hasSize(3);
    Api.Response refused = client.post("/api/v1/organizations", Map.of("name", "One more"));
    assertThat(refused.json().get("code").stringValue()).isEqualTo("organization_limit_reached");
    assertThat(refused.text()).contains("SYNTRA_MAX_ORGANIZATIONS_PER_USER");
  }

  @Test
  void theFounderTokenNeverOutlivesNorOutranksTheCallingToken() {
    Api.Response minted =
        client.post(
            "/api/v1/tokens",
            Map.of("name", "short", "scopes", List.of("read", "write"), "expires_in_days", 1));
    assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
    String callerExpiry = minted.json().get("expires_at").stringValue();
    Api shortLived = api.as(minted.json().get("token").stringValue());

    Api.Response created =
        shortLived.post("/api/v1/organizations", Map.of("name", "Short " + UUID.randomUUID()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Api founder = api.as(created.json().get("token").stringValue());
    JsonNode token =
        founder.get("/api/v1/tokens/" + created.json().get("token_id").stringValue()).json();
    assertThat(token.get("expires_at").isNull()).as(token.toString()).isFalse();
    assertThat(Instant.parse(token.get("expires_at").stringValue()))
        .isEqualTo(Instant.parse(callerExpiry));
    assertThat(token.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");

    // Nor can the founder token mint what the calling token could not.
    Api.Response forever =
        founder.post("/api/v1/tokens", Map.of("name", "forever", "scopes", List.of("write")));
    assertThat(forever.status()).as(forever.toString()).isEqualTo(201);
    assertThat(Instant.parse(forever.json().get("expires_at").stringValue()))
        .isEqualTo(Instant.parse(callerExpiry));
    assertThat(
            founder
                .post("/api/v1/tokens", Map.of("name", "admin", "scopes", List.of("admin")))
                .status())
        .isEqualTo(403);
  }

  static Set<String> paths(Api.Response response) {
    Set<String> paths = new HashSet<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }
}
