package dev.syntra.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditLogApiTest extends ServerTestSupport {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void listsEntriesOldestFirstAndFilters() {
    String project =
        client.post("/api/v1/projects", Map.of("name", "audited")).json().get("id").stringValue();
    client.patch("/api/v1/projects/" + project, Map.of("description", "changed"));
    client.post("/api/v1/servers", Map.of("name", "box"));

    List<JsonNode> all = list("");
    assertThat(all)
        .extracting(e -> e.get("action").stringValue())
        .containsExactly("project.created", "project.updated", "server.created");
    JsonNode first = all.getFirst();
    assertThat(first.get("actor_user_id").stringValue()).isEqualTo(owner.userId().toString());
    assertThat(first.get("actor_token_id").stringValue()).isEqualTo(owner.tokenId().toString());
    assertThat(first.get("target_type").stringValue()).isEqualTo("project");
    assertThat(first.get("target_id").stringValue()).isEqualTo(project);
    assertThat(first.get("ip").stringValue()).isNotBlank();
    assertThat(first.get("details").get("slug").stringValue()).isEqualTo("audited");

    assertThat(list("action=project.updated")).hasSize(1);
    assertThat(list("target_type=project&target_id=" + project)).hasSize(2);
    assertThat(list("actor_user_id=" + owner.userId())).hasSize(3);
    assertThat(list("actor_user_id=" + java.util.UUID.randomUUID())).isEmpty();
    String createdAt = all.get(1).get("created_at").stringValue();
    assertThat(list("since=" + createdAt)).hasSize(2);
    assertThat(list("until=2000-01-01T00:00:00Z")).isEmpty();
    assertThat(list("since=2000-01-01T00:00:00%2B02:00")).hasSize(3);
  }

  @Test
  void pagesWithCursors() {
    for (int i = 0; i < 5; i++) {
      client.post("/api/v1/projects", Map.of("name", "p" + i));
    }
    List<String> ids = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonNode page = client.get("/api/v1/audit-log?limit=2&cursor=" + cursor).json();
      page.get("data").forEach(e -> ids.add(e.get("id").stringValue()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").stringValue();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void exportsEveryMatchingEntryAsJsonLinesInBatches() {
    int count = AuditController.EXPORT_BATCH * 2 + 7;
    tenancy.inOrg(
        owner.orgId(),
        owner.userId(),
        h -> {
          for (int i = 0; i < count; i++) {
            AuditLog.record(
                h,
                owner.orgId(),
                owner.userId(),
                null,
                "192.0.2.1",
                "test.bulk",
                "thing",
                "t" + i,
                Map.of("n", i));
          }
          return null;
        });
    client.post("/api/v1/projects", Map.of("name", "other"));

    Api.Response export = client.get("/api/v1/audit-log/export?action=test.bulk");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
    List<JsonNode> lines = new ArrayList<>();
    export.text().lines().forEach(line -> lines.add(JSON.readTree(line)));
    assertThat(lines).hasSize(count);
    assertThat(lines)
        .extracting(l -> l.get("details").get("n").intValue())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, count).boxed().toList());
    assertThat(lines).extracting(l -> l.get("id").stringValue()).isSorted().doesNotHaveDuplicates();

    List<JsonNode> listed = list("action=test.bulk");
    assertThat(lines).isEqualTo(listed);

    String everything = client.get("/api/v1/audit-log/export").text();
    assertThat(everything.lines().count()).isEqualTo(count + 1L);
  }

  @Test
  void theExportMatchesTheListForTheSameFilters() {
    client.post("/api/v1/projects", Map.of("name", "a"));
    client.post("/api/v1/servers", Map.of("name", "b"));
    for (String filter : new String[] {"", "target_type=server", "since=2000-01-01T00:00:00Z"}) {
      List<JsonNode> lines = new ArrayList<>();
      client
          .get("/api/v1/audit-log/export?" + filter)
          .text()
          .lines()
          .forEach(line -> lines.add(JSON.readTree(line)));
      assertThat(lines).as(filter).isEqualTo(list(filter));
    }
  }

  @Test
  void refusesBadFiltersWithTheirNames() {
    Api.Response bad =
        client.get("/api/v1/audit-log?since=yesterday&until=2026-13-01&actor_user_id=me");
    assertThat(bad.status()).isEqualTo(400);
    Set<String> paths = new HashSet<>();
    bad.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    assertThat(paths).containsExactlyInAnyOrder("since", "until", "actor_user_id");
    assertThat(
            client
                .get("/api/v1/audit-log?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z")
                .status())
        .isEqualTo(400);
    assertThat(client.get("/api/v1/audit-log/export?since=no").status()).isEqualTo(400);
  }

  @Test
  void onlyAdminsReadTheAuditLogAndOnlyTheirOwn() {
    for (Role role : new Role[] {Role.VIEWER, Role.DEVELOPER}) {
      Api member = api.as(tenants.newMember(owner, role, EnumSet.allOf(Scope.class)).token());
      assertThat(member.get("/api/v1/audit-log").status()).isEqualTo(403);
      assertThat(member.get("/api/v1/audit-log/export").status()).isEqualTo(403);
    }
    Api readOnlyOwner = api.as(tenants.newToken(owner, Set.of(Scope.READ)).token());
    assertThat(readOnlyOwner.get("/api/v1/audit-log").status()).isEqualTo(403);
    Api admin = api.as(tenants.newMember(owner, Role.ADMIN, Set.of(Scope.ADMIN)).token());
    assertThat(admin.get("/api/v1/audit-log").status()).isEqualTo(200);

    client.post("/api/v1/projects", Map.of("name", "mine"));
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.get("/api/v1/audit-log").json().get("data")).isEmpty();
    assertThat(other.get("/api/v1/audit-log/export").text()).isEmpty();
  }

  private List<JsonNode> list(String filter) {
    List<JsonNode> entries = new ArrayList<>();
    String cursor = "";
    do {
      Api.Response page = client.get("/api/v1/audit-log?limit=200&" + filter + "&cursor=" + cursor);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().get("data").forEach(entries::add);
      JsonNode next = page.json().get("next_cursor");
      cursor = next.isNull() ? null : next.stringValue();
    } while (cursor != null);
    return entries;
  }
}
