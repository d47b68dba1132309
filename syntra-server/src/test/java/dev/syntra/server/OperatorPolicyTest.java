package dev.syntra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.command.AgentCommandSecrets;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Tenancy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server whose operator allows a few privileges: an organization admin may use them, a developer
 * may not; what the operator did not list stays refused; and only the operator founds
 * organizations. It runs as a standalone server with its own database, not as a cached test
 * context, so the shared test context is never paused and restarted around it.
 */
class OperatorPolicyTest {
  private static final String BOOTSTRAP_TOKEN = "syn_pat_OperatorPolicyTestToken0123456789abcdef";

  private static StandaloneServer server;
  private static Tenants tenants;

  private Tenants.Member owner;
  private Api admin;
  private Api developer;
  private String projectId;
  private int services;

  @BeforeAll
  static void startServer() throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("SYNTRA_DATA_DIR", Files.createTempDirectory("syntra-operator-test").toString());
    settings.put("SYNTRA_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);
    settings.put("SYNTRA_WEBHOOK_DELIVERY", "false");
    settings.put("SYNTRA_PUBLISH_ALLOWED_HOST_IPS", "0.0.0.0, 192.0.2.10");
    settings.put("SYNTRA_PUBLISH_ALLOWED_PORTS", "80,443,8000-8009");
    settings.put("SYNTRA_PUBLISH_MIN_PORT", "10000");
    settings.put("SYNTRA_ALLOWED_CAPABILITIES", "net_admin");
    settings.put("SYNTRA_SELF_SERVICE_ORGANIZATIONS", "false");
    settings.put("SYNTRA_OTEL_INJECT", "false");
    server = StandaloneServer.start(settings);
    tenants = new Tenants(server.bean(Tenancy.class));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static Api api(String token) {
    return server.api(token);
  }

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    admin = api(tenants.newMember(owner, Role.ADMIN, EnumSet.allOf(Scope.class)).token());
    developer = api(tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class)).token());
    projectId =
        api(owner.token())
            .post("/api/v1/projects", Map.of("name", "p"))
            .json()
            .get("id")
            .stringValue();
  }

  @Test
  void anAdminPublishesWhereTheOperatorAllowsADeveloperNowhereElse() {
    Map<String, Object> everywhere = Map.of("host_ip", "0.0.0.0", "host_port", 80);
    Api.Response refused = create(developer, Map.of("publish", everywhere));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().get("code").stringValue()).isEqualTo("admin_required");
    assertThat(refused.text()).contains("0.0.0.0").contains("80");

    Api.Response allowed = create(admin, Map.of("publish", everywhere));
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
    assertThat(
            create(admin, Map.of("publish", Map.of("host_ip", "192.0.2.10", "host_port", 8005)))
                .status())
        .isEqualTo(201);
    // Below the floor (10000 here) only listed ports; loopback above the floor is free for all.
    assertThat(create(developer, Map.of("publish", Map.of("host_port", 8000))).status())
        .isEqualTo(403);
    assertThat(create(developer, Map.of("publish", Map.of("host_port", 10000))).status())
        .isEqualTo(201);

    // What the operator did not list stays refused, even for an admin.
    Api.Response unlisted =
        create(admin, Map.of("publish", Map.of("host_ip", "192.0.2.11", "host_port", 443)));
    assertThat(unlisted.status()).isEqualTo(422);
    assertThat(unlisted.text()).contains("SYNTRA_PUBLISH_ALLOWED_HOST_IPS");
    Api.Response port =
        create(admin, Map.of("publish", Map.of("host_ip", "127.0.0.1", "host_port", 22)));
    assertThat(port.status()).isEqualTo(422);
    assertThat(port.text()).contains("SYNTRA_PUBLISH_ALLOWED_PORTS");

    // A developer still edits the admin's service as long as the publishing stays as it is...
    String id = allowed.json().get("id").stringValue();
    Api.Response edited = developer.patch("/api/v1/services/" + id, Map.of("replicas", 2));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    // ...but cannot move it elsewhere.
    assertThat(
            developer
                .patch(
                    "/api/v1/services/" + id,
                    Map.of("publish", Map.of("host_ip", "192.0.2.10", "host_port", 443)))
                .status())
        .isEqualTo(403);
  }

  @Test
  void theOperatorTurnsOtelInjectionOffForEveryService() {
    String serverId =
        admin
            .post("/api/v1/servers", Map.of("name", "box"))
            .json()
            .get("server")
            .get("id")
            .stringValue();
    Tenancy tenancy = server.bean(Tenancy.class);
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET agent_id = 'agt_otel0', registered_at = now()"
                        + " WHERE id = :id")
                .bind("id", UUID.fromString(serverId))
                .execute());
    Api.Response created = create(admin, Map.of("server_id", serverId));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").stringValue();
    Api.Response view = admin.get("/api/v1/services/" + id + "/telemetry");
    assertThat(view.json().get("otel_inject").booleanValue()).isTrue();
    assertThat(view.json().get("otel_injected").booleanValue()).isFalse();

    Api.Response deploy = admin.post("/api/v1/services/" + id + "/deploy", Map.of());
    assertThat(deploy.status()).as(deploy.toString()).isEqualTo(202);
    UUID deployment = UUID.fromString(deploy.json().get("id").stringValue());
    SecretBox box = server.bean(SecretBox.class);
    DeploySpec spec =
        tenancy.inOrg(
            owner.orgId(),
            null,
            h ->
                h.createQuery(
                        "SELECT id, ciphertext, key_version FROM agent_commands"
                            + " WHERE deployment_id = :d")
                    .bind("d", deployment)
                    .map((rs, ctx) -> {
                      UUID command = rs.getObject("id", UUID.class);
                      String json =
                          box.open(
                              owner.orgId(),
                              rs.getInt("key_version"),
                              rs.getBytes("ciphertext"),
                              AgentCommandSecrets.associatedData(command));
                      return ((DeployCommand) MessageCodec.create().decode(json).payload()).spec();
                    })
                    .one());
    assertThat(spec.env()).doesNotContainKeys("OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void anAdminAddsAnAllowedCapabilityADeveloperCannot() {
    Map<String, Object> netAdmin = Map.of("cap_add", List.of("NET_ADMIN", "CHOWN"));
    Api.Response refused = create(developer, Map.of("security", netAdmin));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().get("code").stringValue()).isEqualTo("admin_required");

    Api.Response allowed = create(admin, Map.of("security", netAdmin));
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
    assertThat(allowed.json().get("security").get("cap_add").toString()).contains("NET_ADMIN");
    assertThat(allowed.json().get("security").get("cap_drop").toString()).isEqualTo("[\"ALL\"]");

    Api.Response unlisted =
        create(admin, Map.of("security", Map.of("cap_add", List.of("SYS_ADMIN"))));
    assertThat(unlisted.status()).isEqualTo(422);
    assertThat(unlisted.text()).contains("SYS_ADMIN").contains("SYNTRA_ALLOWED_CAPABILITIES");
    assertThat(create(admin, Map.of("security", Map.of("no_new_privileges", false))).status())
        .isEqualTo(422);

    // Dropping the extra capability again is anyone's right.
    String id = allowed.json().get("id").stringValue();
    Api.Response narrowed =
        developer.patch("/api/v1/services/" + id, Map.of("security", onlyChown()));
    assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
    assertThat(narrowed.json().get("security").get("cap_add").toString())
        .doesNotContain("NET_ADMIN");
  }

  @Test
  void withSelfServiceOffOnlyTheOperatorFoundsOrganizations() {
    Api.Response refused =
        api(tenants.newOrganization().token())
            .post("/api/v1/organizations", Map.of("name", "Mine"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().get("code").stringValue())
        .isEqualTo("organization_creation_disabled");
    assertThat(refused.text()).contains("SYNTRA_SELF_SERVICE_ORGANIZATIONS");

    // The operator: the owner of the organization the first start created.
    Api.Response founded =
        api(BOOTSTRAP_TOKEN).post("/api/v1/organizations", Map.of("name", "Customer"));
    assertThat(founded.status()).as(founded.toString()).isEqualTo(201);
  }

  private static Map<String, Object> onlyChown() {
    Map<String, Object> security = new HashMap<>();
    security.put("cap_add", List.of("CHOWN"));
    return security;
  }

  private Api.Response create(Api caller, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("name", "s" + services++);
    body.put("image", "nginx:1.27");
    body.put("port", 80);
    return caller.post("/api/v1/projects/" + projectId + "/services", body);
  }
}
