package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class DeployApiTest extends ServerTestSupport {
  @Autowired private SecretBox box;

  private DeployFixture shop;

  @BeforeEach
  void setUp() {
    shop = new DeployFixture(api, tenants, tenancy);
  }

  @Test
  void deployQueuesADeploymentAndASealedCommandWithTheResolvedSpec() {
    String secret = "s3cret-" + UUID.randomUUID();
    DeployFixture.ok(
        shop.client.put(
            "/api/v1/projects/" + shop.project + "/env",
            Map.of("vars", Map.of("DB_PASSWORD", secret, "LOG_LEVEL", "info"))));
    DeployFixture.ok(
        shop.client.put(
            "/api/v1/services/" + shop.service + "/env",
            Map.of(
                "vars",
                Map.of("DATABASE_URL", "postgres://shop:${{project.DB_PASSWORD}}@db/shop"))));

    Api.Response response =
        shop.client.post(
            shop.deployPath(),
            Map.of(
                "tag",
                "2",
                "strategy",
                "canary",
                "canary_percent",
                25,
                "env",
                Map.of("LOG_LEVEL", "debug", "EXTRA", "1")));

    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    JsonNode view = response.json();
    UUID id = UUID.fromString(view.get("id").stringValue());
    assertThat(response.header("Location")).isEqualTo("/api/v1/deployments/" + id);
    assertThat(view.get("status").stringValue()).isEqualTo("queued");
    assertThat(view.get("image").stringValue()).isEqualTo("127.0.0.1:5000/syntra-test/httpd:2");
    assertThat(view.get("strategy").stringValue()).isEqualTo("canary");
    assertThat(view.get("trigger_type").stringValue()).isEqualTo("api");
    assertThat(view.get("triggered_by").stringValue()).isEqualTo(shop.owner.userId().toString());
    assertThat(view.get("server_id").stringValue()).isEqualTo(shop.server.toString());
    assertThat(view.get("replicas").intValue()).isEqualTo(2);
    assertThat(view.get("events").get(0).get("status").stringValue()).isEqualTo("queued");
    assertThat(response.text()).doesNotContain(secret);

    List<DeployFixture.StoredCommand> commands = shop.commands(box, id);
    assertThat(commands).hasSize(1);
    assertThat(commands.getFirst().type()).isEqualTo("deploy");
    assertThat(commands.getFirst().status()).isEqualTo("queued");
    DeploySpec spec = ((DeployCommand) commands.getFirst().command()).spec();
    assertThat(spec.deploymentId()).isEqualTo(id.toString());
    assertThat(spec.service())
        .isEqualTo(RuntimeNames.serviceRef(shop.owner.orgId(), "shop", "web"));
    assertThat(spec.image()).isEqualTo("127.0.0.1:5000/syntra-test/httpd:2");
    assertThat(spec.replicas()).isEqualTo(2);
    assertThat(withoutOtel(spec.env()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "DB_PASSWORD",
                secret,
                "LOG_LEVEL",
                "debug",
                "DATABASE_URL",
                "postgres://shop:" + secret + "@db/shop",
                "EXTRA",
                "1"));
    assertThat(spec.ports())
        .containsExactly(PortMapping.tcp(8080, new HostBinding("127.0.0.1", 18080)));
    assertThat(spec.limits()).isEqualTo(new ResourceLimits(500, 268435456));
    assertThat(spec.domains()).containsExactly(shop.domain);
    assertThat(spec.healthCheck())
        .isEqualTo(
            new HealthCheck(
                HealthCheck.Type.HTTP,
                "/healthz",
                8080,
                Duration.ofMillis(2000),
                Duration.ofMillis(3000),
                3,
                Duration.ZERO));
    assertThat(spec.strategy()).isEqualTo(DeployStrategy.CANARY);
    assertThat(spec.rollout().canaryWeightPercent()).isEqualTo(25);

    assertThat(plaintextColumns(secret)).as("columns holding the secret").isEmpty();
  }

  @Test
  void defaultsComeFromTheServiceConfig() {
    UUID id = shop.deploy(Map.of());
    DeploySpec spec = ((DeployCommand) shop.commands(box, id).getFirst().command()).spec();
    assertThat(spec.image()).isEqualTo("127.0.0.1:5000/syntra-test/httpd:1");
    assertThat(spec.strategy()).isEqualTo(DeployStrategy.ROLLING);
    assertThat(withoutOtel(spec.env())).isEmpty();
    String digest = "sha256:" + "a".repeat(64);
    UUID pinned =
        shop.deploy(Map.of("image", "127.0.0.1:5000/syntra-test/other", "digest", digest));
    JsonNode view = shop.client.get("/api/v1/deployments/" + pinned).json();
    assertThat(view.get("image").stringValue())
        .isEqualTo("127.0.0.1:5000/syntra-test/other@" + digest);
    assertThat(view.get("image_digest").stringValue()).isEqualTo(digest);
  }

  @Test
  void queuedCommandsStayReadableAfterKeyRotation() {
    DeployFixture.ok(
        shop.client.put(
            "/api/v1/services/" + shop.service + "/env", Map.of("vars", Map.of("TOKEN", "t0k"))));
    UUID id = shop.deploy(Map.of());
    Api.Response rotated =
        shop.client.post("/api/v1/organizations/" + shop.owner.orgId() + "/keys/rotate", null);
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
    DeploySpec spec = ((DeployCommand) shop.commands(box, id).getFirst().command()).spec();
    assertThat(spec.env()).containsEntry("TOKEN", "t0k");
    long resealed =
        tenancy.inOrg(
            shop.owner.orgId(),
            null,
            h ->
                h.createQuery(
                        "SELECT count(*) FROM agent_commands WHERE key_version = 2"
                            + " AND type = 'deploy'")
                    .mapTo(Long.class)
                    .one());
    assertThat(resealed).isEqualTo(1);
  }

  @Test
  void invalidBodiesAreRefusedWithEveryFieldPath() {
    Api.Response response =
        shop.client.post(
            shop.deployPath(),
            Map.of(
                "tag", "bad tag",
                "strategy", "yolo",
                "canary_percent", 150,
                "env", Map.of("1BAD", "x", "OK", 5),
                "image", "UPPER/case",
                "colour", "blue"));
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(paths(response))
        .contains(
            "$.tag",
            "$.strategy",
            "$.canary_percent",
            "$.env.1BAD",
            "$.env.OK",
            "$.image",
            "$.colour");

    Api.Response both =
        shop.client.post(
            shop.deployPath(),
            Map.of("tag", "2", "digest", "sha256:" + "b".repeat(64), "canary_percent", 5));
    assertThat(paths(both)).containsExactlyInAnyOrder("$.digest", "$.canary_percent");
    Api.Response tagTwice =
        shop.client.post(
            shop.deployPath(), Map.of("image", "127.0.0.1:5000/syntra-test/httpd:1", "tag", "2"));
    assertThat(paths(tagTwice)).containsExactly("$.tag");
    assertThat(shop.client.send("POST", shop.deployPath(), "[1]", "application/json").status())
        .isEqualTo(400);
    assertThat(deploymentCount()).isZero();
  }

  @Test
  void aServiceWithoutServerOrRegisteredAgentCannotBeDeployed() {
    DeployFixture.ok(
        shop.client.patch("/api/v1/services/" + shop.service, mapWithNull("server_id")));
    Api.Response noServer = shop.client.post(shop.deployPath(), Map.of());
    assertThat(noServer.status()).as(noServer.toString()).isEqualTo(409);
    assertThat(noServer.json().get("code").stringValue()).isEqualTo("no_server");
    assertThat(noServer.header("Content-Type")).startsWith("application/problem+json");

    String pending =
        DeployFixture.ok(shop.client.post("/api/v1/servers", Map.of("name", "pending")))
            .get("server")
            .get("id")
            .stringValue();
    DeployFixture.ok(
        shop.client.patch("/api/v1/services/" + shop.service, Map.of("server_id", pending)));
    Api.Response noAgent = shop.client.post(shop.deployPath(), Map.of());
    assertThat(noAgent.status()).as(noAgent.toString()).isEqualTo(409);
    assertThat(noAgent.json().get("code").stringValue()).isEqualTo("no_agent");
    assertThat(noAgent.json().get("detail").stringValue())
        .contains("pending", "no registered agent");
    assertThat(shop.client.post("/api/v1/services/" + shop.service + "/restart", null).status())
        .isEqualTo(409);
    assertThat(deploymentCount()).isZero();
  }

  @Test
  void deployingNeedsTheDeployPermission() {
    Api viewer = api.as(tenants.newMember(shop.owner, Role.VIEWER, Set.of(Scope.READ)).token());
    Api writeOnly =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, Set.of(Scope.WRITE)).token());
    Api developer =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, Set.of(Scope.DEPLOY)).token());
    assertThat(viewer.post(shop.deployPath(), Map.of()).status()).isEqualTo(403);
    assertThat(writeOnly.post(shop.deployPath(), Map.of()).status()).isEqualTo(403);
    assertThat(developer.post(shop.deployPath(), Map.of()).status()).isEqualTo(202);
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.post(shop.deployPath(), Map.of()).status()).isEqualTo(404);
    assertThat(deploymentCount()).isEqualTo(1);
  }

  @Test
  void restartScaleAndStopQueueCommandsListedWithTheService() {
    String base = "/api/v1/services/" + shop.service;
    Api.Response restart = shop.client.post(base + "/restart", null);
    assertThat(restart.status()).as(restart.toString()).isEqualTo(202);
    assertThat(restart.json().get("type").stringValue()).isEqualTo("restart");
    assertThat(restart.json().get("status").stringValue()).isEqualTo("queued");
    Api.Response badScale = shop.client.post(base + "/scale", Map.of("replicas", 1001));
    assertThat(paths(badScale)).containsExactly("$.replicas");
    assertThat(paths(shop.client.post(base + "/scale", Map.of()))).containsExactly("$.replicas");
    assertThat(shop.client.post(base + "/scale", Map.of("replicas", 3)).status()).isEqualTo(202);
    assertThat(shop.client.get(base).json().get("replicas").intValue()).isEqualTo(3);
    assertThat(shop.client.post(base + "/stop", Map.of()).status()).isEqualTo(202);

    JsonNode list = DeployFixture.ok(shop.client.get(base + "/commands?limit=2"));
    assertThat(list.get("data").findValuesAsString("type")).containsExactly("stop", "scale");
    String cursor = list.get("next_cursor").stringValue();
    JsonNode rest = DeployFixture.ok(shop.client.get(base + "/commands?cursor=" + cursor));
    assertThat(rest.get("data").findValuesAsString("type")).containsExactly("restart");
    JsonNode audit =
        DeployFixture.ok(shop.client.get("/api/v1/audit-log?action=service.scale_requested"));
    assertThat(audit.get("data").get(0).get("details").get("replicas").intValue()).isEqualTo(3);
  }

  @Test
  void cancelWorksOnlyWhileTheCommandWaitsForTheAgent() {
    UUID queued = shop.deploy(Map.of());
    Api.Response cancelled = shop.client.post("/api/v1/deployments/" + queued + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().get("status").stringValue()).isEqualTo("cancelled");
    assertThat(cancelled.json().get("finished_at").isNull()).isFalse();
    assertThat(shop.commands(box, queued).getFirst().status()).isEqualTo("cancelled");
    Api.Response again = shop.client.post("/api/v1/deployments/" + queued + "/cancel", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("detail").stringValue()).contains("already finished");

    UUID sent = shop.deploy(Map.of());
    shop.markCommandsSent(sent);
    Api.Response refused = shop.client.post("/api/v1/deployments/" + sent + "/cancel", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("code").stringValue()).isEqualTo("not_cancellable");
    assertThat(refused.json().get("detail").stringValue()).contains("already received");
    assertThat(shop.client.get("/api/v1/deployments/" + sent).json().get("status").stringValue())
        .isEqualTo("queued");
    Api viewer = api.as(tenants.newMember(shop.owner, Role.VIEWER, Set.of(Scope.READ)).token());
    assertThat(viewer.post("/api/v1/deployments/" + sent + "/cancel", null).status())
        .isEqualTo(403);
  }

  /** The env without the OTEL_* variables every deploy adds (TelemetryApiTest checks those). */
  private static Map<String, String> withoutOtel(Map<String, String> env) {
    Map<String, String> rest = new java.util.LinkedHashMap<>(env);
    rest.keySet().removeIf(k -> k.startsWith("OTEL_"));
    return rest;
  }

  private List<String> paths(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    List<String> paths = new ArrayList<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }

  private long deploymentCount() {
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT count(*) FROM deployments WHERE service_id = :s")
                .bind("s", shop.service)
                .mapTo(Long.class)
                .one());
  }

  private static Map<String, Object> mapWithNull(String key) {
    Map<String, Object> map = new java.util.HashMap<>();
    map.put(key, null);
    return map;
  }

  /** Columns of any table holding {@code secret} as text, hex or raw bytes. */
  private List<String> plaintextColumns(String secret) {
    String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
    return tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h -> {
          List<String> found = new ArrayList<>();
          for (String[] column : columns(h)) {
            for (String needle : List.of(secret, hex)) {
              if (holds(h, column, needle)) {
                found.add(column[0] + "." + column[1]);
              }
            }
          }
          return found;
        });
  }

  private static List<String[]> columns(Handle h) {
    return h.createQuery(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
                + " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
                + " AND t.table_name = c.table_name"
                + " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
        .list();
  }

  private static boolean holds(Handle h, String[] column, String needle) {
    String ref = "\"" + column[1] + "\"";
    String condition =
        column[2].equals("bytea")
            ? "position(convert_to(:needle, 'UTF8') IN " + ref + ") > 0"
            : "strpos(CAST(" + ref + " AS text), :needle) > 0";
    return h.createQuery("SELECT count(*) FROM \"" + column[0] + "\" WHERE " + condition)
            .bind("needle", needle)
            .mapTo(Long.class)
            .one()
        > 0;
  }
}
