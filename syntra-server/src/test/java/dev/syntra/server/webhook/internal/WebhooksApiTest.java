package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The webhook endpoints on the shared test server, configured as in production: private networks
 * are refused, so receivers here are public documentation addresses (203.0.113.0/24) that nothing
 * answers; delivery itself is tested in {@link WebhookDeliveryTest}.
 */
class WebhooksApiTest extends ServerTestSupport {
  private static final String URL = "https://203.0.113.10/hooks/syntra";

  @Autowired private SecretBox secretBox;

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void createsListsReadsUpdatesAndDeletesAWebhook() {
    Api.Response created =
        client.post(
            "/api/v1/webhooks",
            Map.of(
                "url",
                URL,
                "events",
                List.of("deployment.completed", "project.created", "project.created"),
                "description",
                "CI notifications"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").stringValue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/webhooks/" + id);
    assertThat(created.json().get("secret").stringValue()).matches("whsec_[A-Za-z0-9+/]{43}=");
    assertThat(texts(created.json().get("events")))
        .containsExactly("deployment.completed", "project.created");
    assertThat(created.json().get("active").booleanValue()).isTrue();

    Api.Response read = client.get("/api/v1/webhooks/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("secret")).isFalse();
    assertThat(read.json().get("description").stringValue()).isEqualTo("CI notifications");
    assertThat(client.get("/api/v1/webhooks").json().get("data").get(0).get("id").stringValue())
        .isEqualTo(id);

    Api.Response patched =
        client.patch(
            "/api/v1/webhooks/" + id,
            Map.of("events", List.of("*"), "active", false, "url", URL + "/v2"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(texts(patched.json().get("events"))).containsExactly("*");
    assertThat(patched.json().get("active").booleanValue()).isFalse();
    assertThat(patched.json().get("url").stringValue()).isEqualTo(URL + "/v2");
    assertThat(patched.json().get("description").stringValue()).isEqualTo("CI notifications");

    assertThat(client.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
    assertThat(client.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(auditActions()).contains("webhook.created", "webhook.updated", "webhook.deleted");
  }

  @Test
  void showsTheSecretOnlyOnCreateAndRotateAndNeverAuditsIt() {
    Api.Response created =
        client.post("/api/v1/webhooks", Map.of("url", URL, "events", List.of("*")));
    String id = created.json().get("id").stringValue();
    String first = created.json().get("secret").stringValue();

    Api.Response rotated = client.post("/api/v1/webhooks/" + id + "/rotate-secret", null);
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
    String second = rotated.json().get("secret").stringValue();
    assertThat(second).startsWith("whsec_").isNotEqualTo(first);

    List<String> answers =
        List.of(
            client.get("/api/v1/webhooks/" + id).text(),
            client.get("/api/v1/webhooks").text(),
            client.patch("/api/v1/webhooks/" + id, Map.of("description", "x")).text());
    List<String> audit = auditDetails();
    for (String secret : List.of(first, second)) {
      String key = secret.substring("whsec_".length());
      assertThat(answers).allSatisfy(text -> assertThat(text).doesNotContain(key));
      assertThat(audit).allSatisfy(text -> assertThat(text).doesNotContain(key));
    }
    assertThat(auditActions()).contains("webhook.secret_rotated");
    // Sealed under the organization key, bound to "webhook:<id>" (what key rotation re-seals).
    assertThat(storedSecret(UUID.fromString(id))).isEqualTo(second);
  }

  @Test
  void refusesUnknownEventTypesWithTheirPaths() {
    Api.Response response =
        client.post(
            "/api/v1/webhooks",
            Map.of("url", URL, "events", List.of("project.created", "nope", "*", 3), "x", 1));
    assertThat(response.status()).isEqualTo(400);
    assertThat(paths(response)).containsExactlyInAnyOrder("$.events[1]", "$.events[3]", "$.x");

    assertThat(paths(client.post("/api/v1/webhooks", Map.of("url", URL, "events", List.of()))))
        .containsExactly("$.events");
    assertThat(paths(client.post("/api/v1/webhooks", Map.of("description", "d"))))
        .containsExactlyInAnyOrder("$.url", "$.events");
    String id =
        client
            .post("/api/v1/webhooks", Map.of("url", URL, "events", List.of("*")))
            .json()
            .get("id")
            .stringValue();
    assertThat(paths(client.patch("/api/v1/webhooks/" + id, Map.of("events", List.of("x.y")))))
        .containsExactly("$.events[0]");
  }

  @Test
  void refusesPrivateLoopbackAndPlainHttpTargetsByDefault() {
    List<String> urls =
        List.of(
            "https://127.0.0.1/hook",
            "https://localhost:8443/hook",
            "https://10.1.2.3/hook",
            "https://192.168.1.1/hook",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "http://203.0.113.10/hook",
            "https://user:pw@203.0.113.10/hook");
    for (String url : urls) {
      Api.Response response =
          client.post("/api/v1/webhooks", Map.of("url", url, "events", List.of("*")));
      assertThat(response.status()).as(url).isEqualTo(400);
      assertThat(paths(response)).as(url).containsExactly("$.url");
    }
    Api.Response loopback =
        client.post(
            "/api/v1/webhooks", Map.of("url", "https://127.0.0.1/hook", "events", List.of("*")));
    assertThat(loopback.json().get("errors").get(0).get("message").stringValue())
        .contains("loopback", "SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true");
    String id = create();
    assertThat(paths(client.patch("/api/v1/webhooks/" + id, Map.of("url", "https://10.0.0.1/x"))))
        .containsExactly("$.url");
  }

  @Test
  void requiresTheAdminPermissionForEveryEndpoint() {
    String id = create();
    String delivery = testDelivery(id);
    Tenants.Member developer = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    Tenants.Member readOnlyOwner = tenants.newToken(owner, Set.of(Scope.READ, Scope.WRITE));
    for (Tenants.Member member : List.of(developer, readOnlyOwner)) {
      Api as = api.as(member.token());
      assertThat(statuses(as, id, delivery))
          .as(member.role() + " " + member.tokenId())
          .containsOnly(403);
      assertThat(as.post("/api/v1/webhooks", Map.of("url", URL, "events", List.of("*"))).status())
          .isEqualTo(403);
      assertThat(as.get("/api/v1/webhooks").status()).isEqualTo(403);
    }
  }

  @Test
  void answersNotFoundToAnotherOrganizationOnEveryEndpoint() {
    String id = create();
    String delivery = testDelivery(id);
    Api stranger = api.as(tenants.newOrganization().token());

    assertThat(statuses(stranger, id, delivery)).containsOnly(404);
    assertThat(stranger.get("/api/v1/webhooks").json().get("data").size()).isZero();
    assertThat(client.get("/api/v1/webhooks/" + id).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/webhooks/" + id + "/deliveries").json().get("data").size())
        .isEqualTo(1);
    // A delivery id is only found under its own webhook.
    String other = create();
    assertThat(client.get("/api/v1/webhooks/" + other + "/deliveries/" + delivery).status())
        .isEqualTo(404);
  }

  @Test
  void queuesTestEventsAndRetriesOnlyFailedDeliveries() {
    String id = create();
    Api.Response queued = client.post("/api/v1/webhooks/" + id + "/test", null);
    assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
    assertThat(queued.json().get("event_type").stringValue()).isEqualTo("webhook.test");
    assertThat(queued.json().get("payload").get("data").get("webhook_id").stringValue())
        .isEqualTo(id);
    assertThat(queued.json().get("payload").get("id").stringValue())
        .isEqualTo(queued.json().get("event_id").stringValue());
    String delivery = queued.json().get("id").stringValue();

    Api.Response retry =
        client.post("/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/retry", null);
    assertThat(retry.status()).isEqualTo(409);
    assertThat(retry.json().get("detail").stringValue()).contains("only failed deliveries");

    client.patch("/api/v1/webhooks/" + id, Map.of("active", false));
    assertThat(client.post("/api/v1/webhooks/" + id + "/test", null).status()).isEqualTo(409);
    assertThat(auditActions()).contains("webhook.tested");
  }

  private String create() {
    Api.Response created =
        client.post("/api/v1/webhooks", Map.of("url", URL, "events", List.of("*")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").stringValue();
  }

  private String testDelivery(String webhookId) {
    Api.Response queued = client.post("/api/v1/webhooks/" + webhookId + "/test", null);
    assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
    return queued.json().get("id").stringValue();
  }

  /** The status of every endpoint that names the webhook, called as {@code as}. */
  private static List<Integer> statuses(Api as, String id, String delivery) {
    String base = "/api/v1/webhooks/" + id;
    return List.of(
        as.get(base).status(),
        as.patch(base, Map.of("description", "mine now")).status(),
        as.post(base + "/rotate-secret", null).status(),
        as.post(base + "/test", null).status(),
        as.get(base + "/deliveries").status(),
        as.get(base + "/deliveries/" + delivery).status(),
        as.post(base + "/deliveries/" + delivery + "/retry", null).status(),
        as.delete(base).status());
  }

  private List<String> auditActions() {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT action FROM audit_log WHERE org_id = :org ORDER BY id")
                .bind("org", owner.orgId())
                .mapTo(String.class)
                .list());
  }

  private List<String> auditDetails() {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT details::text FROM audit_log WHERE org_id = :org")
                .bind("org", owner.orgId())
                .mapTo(String.class)
                .list());
  }

  private String storedSecret(UUID id) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery(
                    "SELECT secret_ciphertext, key_version FROM webhooks WHERE org_id = :org"
                        + " AND id = :id")
                .bind("org", owner.orgId())
                .bind("id", id)
                .map((rs, ctx) ->
                    secretBox.open(
                        owner.orgId(),
                        rs.getInt("key_version"),
                        rs.getBytes("secret_ciphertext"),
                        "webhook:" + id))
                .one());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.stringValue()));
    return out;
  }

  private static List<String> paths(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    List<String> paths = new ArrayList<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }
}
