package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.db.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DeploymentsApiTest extends ServerTestSupport {
  private Tenants.Member owner;
  private Api client;
  private UUID service;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
    String project =
        client.post("/api/v1/projects", Map.of("name", "shop")).json().get("id").stringValue();
    service =
        UUID.fromString(
            client
                .post(
                    "/api/v1/projects/" + project + "/services",
                    Map.of("name", "web", "image", "busybox:1"))
                .json()
                .get("id")
                .stringValue());
  }

  @Test
  void listsAServicesDeploymentsNewestFirstPageByPage() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(insert("running", "busybox:" + i, null, null, null));
    }
    List<String> seen = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      Api.Response page =
          client.get("/api/v1/services/" + service + "/deployments?limit=2&cursor=" + cursor);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().get("data").forEach(d -> seen.add(d.get("id").stringValue()));
      JsonNode next = page.json().get("next_cursor");
      cursor = next.isNull() ? null : next.stringValue();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    // Ids are time-ordered (UUIDv7); within one millisecond their order is random but still total.
    ids.sort(Comparator.reverseOrder());
    assertThat(seen).containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
  }

  @Test
  void showsStatusImageTimesDurationsAndError() {
    Instant queued = Instant.parse("2026-03-01T10:00:00Z");
    UUID id =
        insert(
            "failed",
            "registry.example.com/shop/web@sha256:abc",
            queued,
            queued.plusSeconds(5),
            "health check failed: GET /healthz answered 503");
    Api.Response response =
        api.as(tenants.newMember(owner, Role.VIEWER, Set.of(Scope.READ)).token())
            .get("/api/v1/deployments/" + id);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode deployment = response.json();
    assertThat(deployment.get("service_id").stringValue()).isEqualTo(service.toString());
    assertThat(deployment.get("status").stringValue()).isEqualTo("failed");
    assertThat(deployment.get("image").stringValue()).endsWith("@sha256:abc");
    assertThat(deployment.get("trigger_type").stringValue()).isEqualTo("api");
    assertThat(Instant.parse(deployment.get("queued_at").stringValue())).isEqualTo(queued);
    assertThat(deployment.get("total_duration_ms").longValue()).isEqualTo(65_000);
    assertThat(deployment.get("deploy_duration_ms").longValue()).isEqualTo(4_200);
    assertThat(deployment.get("error_message").stringValue()).contains("503");
  }

  @Test
  void unknownAndForeignDeploymentsAreNotFound() {
    UUID id = insert("running", "busybox:1", null, null, null);
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.get("/api/v1/deployments/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/services/" + service + "/deployments").status()).isEqualTo(404);
    assertThat(client.get("/api/v1/deployments/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/services/" + UUID.randomUUID() + "/deployments").status())
        .isEqualTo(404);
    assertThat(client.get("/api/v1/services/" + service + "/deployments?limit=0").status())
        .isEqualTo(400);
  }

  /** Deployments are created by the deploy pipeline; here they are written directly. */
  private UUID insert(String status, String image, Instant queued, Instant started, String error) {
    UUID id = Ids.next();
    Instant queuedAt = queued == null ? Instant.now() : queued;
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "INSERT INTO deployments (id, org_id, service_id, status, image, error_message,"
                        + " queued_at, started_at, finished_at, deploy_duration_ms)"
                        + " VALUES (:id, :org, :service, :status, :image, :error, :queued,"
                        + " :started, :finished, :duration)")
                .bind("id", id)
                .bind("org", owner.orgId())
                .bind("service", service)
                .bind("status", status)
                .bind("image", image)
                .bind("error", error)
                .bind("queued", queuedAt)
                .bind("started", started)
                .bind("finished", started == null ? null : started.plusSeconds(60))
                .bind("duration", started == null ? null : 4_200L)
                .execute());
    return id;
  }
}
