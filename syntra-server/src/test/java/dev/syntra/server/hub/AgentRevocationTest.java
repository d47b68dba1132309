package dev.syntra.server.hub;

import static dev.syntra.server.hub.AgentHubTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /servers/{id}/revoke} over the real hub: the live link is cut at once, the credential
 * is refused afterwards, and a new registration token enrols an agent again.
 */
class AgentRevocationTest extends ServerTestSupport {
  @Autowired private AgentHub hub;
  @Autowired private ServerSettings settings;

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void revokingCutsTheLiveLinkAndRefusesTheCredentialAfterwards() throws Exception {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "revoked"));
    String id = created.json().get("server").get("id").stringValue();
    String token = created.json().get("registration_token").stringValue();
    HelloOk ok;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, token));
      ok = link.next(HelloOk.class);
      await().until(() -> hub.connected(UUID.fromString(id)));

      Api.Response revoked = client.post("/api/v1/servers/" + id + "/revoke", null);
      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(revoked.json().get("revoked_at").isNull()).isFalse();
      assertThat(link.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    await().until(() -> !hub.connected(UUID.fromString(id)));

    try (TestAgentLink again = connect()) {
      again.send(hello(ok.agentId(), ok.credential()));
      assertThat(again.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.AGENT_REVOKED);
    }
    // Idempotent: the same answer, one audit entry.
    String revokedAt = client.get("/api/v1/servers/" + id).json().get("revoked_at").stringValue();
    Api.Response twice = client.post("/api/v1/servers/" + id + "/revoke", null);
    assertThat(twice.status()).isEqualTo(200);
    assertThat(twice.json().get("revoked_at").stringValue()).isEqualTo(revokedAt);
    assertThat(twice.json().get("status").stringValue()).isEqualTo("offline");
    assertThat(
            client.get("/api/v1/audit-log?action=server.agent_revoked").json().get("data").size())
        .isEqualTo(1);

    // A new registration token enrols a new agent; the revoked one stays out.
    Api.Response reissued = client.post("/api/v1/servers/" + id + "/registration-token", null);
    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    assertThat(reissued.json().get("server").get("status").stringValue()).isEqualTo("pending");
    try (TestAgentLink fresh = connect()) {
      fresh.send(hello(null, reissued.json().get("registration_token").stringValue()));
      assertThat(fresh.next(HelloOk.class).agentId()).isNotEqualTo(ok.agentId());
    }
    try (TestAgentLink old = connect()) {
      old.send(hello(ok.agentId(), ok.credential()));
      assertThat(old.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    }
  }

  @Test
  void revokingNeedsAdminAndAnotherOrganizationsServerIsNotFound() throws Exception {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "guarded"));
    String id = created.json().get("server").get("id").stringValue();
    String token = created.json().get("registration_token").stringValue();

    Tenants.Member other = tenants.newOrganization();
    assertThat(api.as(other.token()).post("/api/v1/servers/" + id + "/revoke", null).status())
        .isEqualTo(404);
    Tenants.Member developer = tenants.newMember(owner, Role.DEVELOPER, EnumSet.allOf(Scope.class));
    assertThat(api.as(developer.token()).post("/api/v1/servers/" + id + "/revoke", null).status())
        .isEqualTo(403);

    // Revoking a pending server also kills its unused registration token.
    assertThat(client.post("/api/v1/servers/" + id + "/revoke", null).status()).isEqualTo(200);
    try (TestAgentLink link = connect()) {
      link.send(hello(null, token));
      assertThat(link.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.TOKEN_EXPIRED);
    }
  }

  @Test
  void aRevokedServerIsDeletedAtOnceEvenWithServices() throws Exception {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "gone"));
    String id = created.json().get("server").get("id").stringValue();
    try (TestAgentLink link = connect()) {
      link.send(hello(null, created.json().get("registration_token").stringValue()));
      link.next(HelloOk.class);
    }
    String project =
        client
            .post("/api/v1/projects", Map.of("name", "revoked-shop"))
            .json()
            .get("id")
            .stringValue();
    Api.Response service =
        client.post(
            "/api/v1/projects/" + project + "/services",
            Map.of("name", "web", "image", "busybox:1", "server_id", id));
    assertThat(service.status()).as(service.toString()).isEqualTo(201);
    assertThat(client.post("/api/v1/servers/" + id + "/revoke", null).status()).isEqualTo(200);

    // Nobody could answer a stop: no draining, the server goes now and the service is unassigned.
    assertThat(client.delete("/api/v1/servers/" + id).status()).isEqualTo(204);
    String serviceId = service.json().get("id").stringValue();
    assertThat(client.get("/api/v1/services/" + serviceId).json().get("server_id").isNull())
        .isTrue();
  }

  private TestAgentLink connect() throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"));
  }
}
