package dev.syntra.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.hub.HubTls;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ServersApiTest extends ServerTestSupport {
  @Autowired private ServerSettings settings;
  @Autowired private HubTls hubTls;

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void addingAServerAnswersARegistrationTokenAndTheInstallCommand() {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "prod-1"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode server = created.json().get("server");
    String id = server.get("id").stringValue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/servers/" + id);
    assertThat(server.get("status").stringValue()).isEqualTo("pending");
    assertThat(server.get("registered_at").isNull()).isTrue();
    String token = created.json().get("registration_token").stringValue();
    assertThat(TokenFormat.AGENT.isWellFormed(token)).isTrue();
    String publicUrl = settings.publicUrl().replaceAll("/$", "");
    String command = created.json().get("install_command").stringValue();
    assertThat(command)
        .startsWith("t=$(mktemp) && printf '%s\\n' '" + token + "' >\"$t\" && curl -fsSL ")
        .contains(
            publicUrl
                + "/install.sh | sudo sh -s -- --url "
                + publicUrl
                + " --endpoint wss://"
                + URI.create(publicUrl).getHost()
                + ":7443/agent/v1 --token-file \"$t\" --ca-sha256 "
                + hubTls.caSha256().orElseThrow())
        .endsWith("; rm -f \"$t\"")
        .doesNotContain("--token ");
    Instant expires = Instant.parse(server.get("registration_expires_at").stringValue());
    assertThat(Duration.between(Instant.now(), expires))
        .isBetween(Duration.ofHours(23), Duration.ofHours(24));

    assertThat(storedHash(id)).isEqualTo(TokenHash.of(token).value());
    Api.Response shown = client.get("/api/v1/servers/" + id);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.text()).doesNotContain(token).doesNotContain("hash").doesNotContain("sha256");
    assertThat(client.get("/api/v1/servers").text()).contains(id).doesNotContain("sha256");
    assertThat(client.get("/api/v1/audit-log?action=server.created").text()).contains(id);
  }

  @Test
  void reissuesTheRegistrationTokenOnlyWhilePending() {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "edge"));
    String id = created.json().get("server").get("id").stringValue();
    String first = created.json().get("registration_token").stringValue();

    Api.Response again = client.post("/api/v1/servers/" + id + "/registration-token", null);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    String second = again.json().get("registration_token").stringValue();
    assertThat(second).isNotEqualTo(first);
    assertThat(again.json().get("install_command").stringValue()).contains("'" + second + "'");
    assertThat(storedHash(id)).isEqualTo(TokenHash.of(second).value());

    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET agent_status = 'online', registered_at = now()"
                        + " WHERE id = :id")
                .bind("id", UUID.fromString(id))
                .execute());
    Api.Response registered = client.post("/api/v1/servers/" + id + "/registration-token", null);
    assertThat(registered.status()).isEqualTo(409);
    assertThat(client.get("/api/v1/servers/" + id).json().get("status").stringValue())
        .isEqualTo("online");
  }

  @Test
  void listsPageByPageAndDeletes() {
    for (int i = 0; i < 3; i++) {
      assertThat(client.post("/api/v1/servers", Map.of("name", "node-" + i)).status())
          .isEqualTo(201);
    }
    Set<String> names = new HashSet<>();
    String cursor = "";
    do {
      JsonNode page = client.get("/api/v1/servers?limit=2&cursor=" + cursor).json();
      page.get("data").forEach(s -> names.add(s.get("name").stringValue()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").stringValue();
    } while (cursor != null);
    assertThat(names).containsExactlyInAnyOrder("node-0", "node-1", "node-2");

    String id = client.get("/api/v1/servers").json().get("data").get(0).get("id").stringValue();
    assertThat(client.delete("/api/v1/servers/" + id).status()).isEqualTo(204);
    assertThat(client.get("/api/v1/servers/" + id).status()).isEqualTo(404);
    assertThat(client.delete("/api/v1/servers/" + id).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/audit-log?action=server.deleted").text()).contains(id);
  }

  @Test
  void refusesDuplicateNamesAndBadBodies() {
    assertThat(client.post("/api/v1/servers", Map.of("name", "dup")).status()).isEqualTo(201);
    assertThat(client.post("/api/v1/servers", Map.of("name", "dup")).status()).isEqualTo(409);
    Api.Response bad = client.post("/api/v1/servers", Map.of("name", "bad name;", "ip", "1"));
    assertThat(bad.status()).isEqualTo(400);
    Set<String> paths = new HashSet<>();
    bad.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    assertThat(paths).containsExactlyInAnyOrder("$.name", "$.ip");
    assertThat(client.post("/api/v1/servers", null).status()).isEqualTo(400);
  }

  @Test
  void onlyAdminsManageServersButEveryoneSeesThem() {
    String id =
        client
            .post("/api/v1/servers", Map.of("name", "shared"))
            .json()
            .get("server")
            .get("id")
            .stringValue();
    for (Role role : new Role[] {Role.VIEWER, Role.DEVELOPER}) {
      Api member = api.as(tenants.newMember(owner, role, EnumSet.allOf(Scope.class)).token());
      assertThat(member.get("/api/v1/servers/" + id).status()).isEqualTo(200);
      assertThat(member.post("/api/v1/servers", Map.of("name", "mine")).status()).isEqualTo(403);
      assertThat(member.delete("/api/v1/servers/" + id).status()).isEqualTo(403);
      assertThat(member.post("/api/v1/servers/" + id + "/registration-token", null).status())
          .isEqualTo(403);
    }
    Api other = api.as(tenants.newOrganization().token());
    assertThat(other.get("/api/v1/servers/" + id).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/servers/" + id).status()).isEqualTo(404);
    assertThat(other.post("/api/v1/servers/" + id + "/registration-token", null).status())
        .isEqualTo(404);
    assertThat(other.get("/api/v1/servers").text()).doesNotContain(id);
  }

  private String storedHash(String serverId) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT registration_token_hash FROM servers WHERE id = :id")
                .bind("id", UUID.fromString(serverId))
                .mapTo(String.class)
                .one());
  }
}
