package dev.syntra.server.hub;

import static dev.syntra.server.hub.AgentHubTest.heartbeat;
import static dev.syntra.server.hub.AgentHubTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.deploy.RuntimeNames;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Nothing keeps running that nobody owns, over the real hub: deleting or renaming a project, moving
 * or renaming a service and deleting a server each deliver a stop for the old runtime name
 * (organization key, project slug, service name) to the agent, live or once it comes back.
 */
class WorkloadStopsTest extends ServerTestSupport {
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
  void projectAndServiceChangesStopTheOldWorkloadsOnALiveAgent() throws Exception {
    Server a = newServer("a");
    Server b = newServer("b");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, a.token()));
      link.next(HelloOk.class);
      String project = newProject("shop");

      // Moving a service to another server stops it on the old one.
      String web = newService(project, "web", a.id());
      ok(client.patch("/api/v1/services/" + web, Map.of("server_id", b.id().toString())));
      expectStop(link, "shop", "web");

      // Renaming a service stops it under its old name.
      String api = newService(project, "api", a.id());
      ok(client.patch("/api/v1/services/" + api, Map.of("name", "backend")));
      expectStop(link, "shop", "api");

      // A new project slug changes every runtime name: the old ones stop.
      ok(client.patch("/api/v1/projects/" + project, Map.of("slug", "store")));
      expectStop(link, "shop", "backend");

      // Deleting the project stops each of its services.
      assertThat(client.delete("/api/v1/projects/" + project).status()).isEqualTo(204);
      expectStop(link, "store", "backend");
    }
  }

  @Test
  void deletingAServerStopsItsServicesFirstEvenWhileItsAgentIsOffline() throws Exception {
    Server a = newServer("drained");
    HelloOk ok;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, a.token()));
      ok = link.next(HelloOk.class);
      link.send(heartbeat());
    }
    await().until(() -> !hub.connected(a.id()));
    String project = newProject("fleet");
    String web = newService(project, "web", a.id());
    newService(project, "worker", a.id());

    Api.Response deleting = client.delete("/api/v1/servers/" + a.id());
    assertThat(deleting.status()).as(deleting.toString()).isEqualTo(202);
    assertThat(deleting.json().get("deletion_requested_at").isNull()).isFalse();
    assertThat(client.get("/api/v1/services/" + web).json().get("server_id").isNull()).isTrue();
    // Asking again while it drains changes nothing; the server takes no new services.
    assertThat(client.delete("/api/v1/servers/" + a.id()).status()).isEqualTo(202);
    Api.Response assign =
        client.patch("/api/v1/services/" + web, Map.of("server_id", a.id().toString()));
    assertThat(assign.status()).as(assign.toString()).isEqualTo(400);

    try (TestAgentLink back = connect()) {
      back.send(hello(ok.agentId(), ok.credential()));
      back.next(HelloOk.class);
      List<String> stopped = List.of(answerStop(back), answerStop(back));
      assertThat(stopped)
          .containsExactlyInAnyOrder(
              RuntimeNames.serviceRef(owner.orgId(), "fleet", "web").toString(),
              RuntimeNames.serviceRef(owner.orgId(), "fleet", "worker").toString());
      // Every stop answered: the server goes, and its link and credential with it.
      assertThat(back.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(client.get("/api/v1/servers/" + a.id()).status()).isEqualTo(404);
    try (TestAgentLink again = connect()) {
      again.send(hello(ok.agentId(), ok.credential()));
      assertThat(again.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    }
    assertThat(client.get("/api/v1/audit-log?action=server.deletion_requested").text())
        .contains(a.id().toString());
  }

  @Test
  void forceDeletesAtOnceAndAServerWithoutServicesGoesAtOnce() throws Exception {
    Server busy = newServer("busy");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, busy.token()));
      link.next(HelloOk.class);
      newService(newProject("forced"), "web", busy.id());
      assertThat(client.delete("/api/v1/servers/" + busy.id() + "?force=true").status())
          .isEqualTo(204);
      assertThat(link.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(client.get("/api/v1/servers/" + busy.id()).status()).isEqualTo(404);
    Server idle = newServer("idle");
    assertThat(client.delete("/api/v1/servers/" + idle.id()).status()).isEqualTo(204);
  }

  private void expectStop(TestAgentLink link, String slug, String service) throws Exception {
    Envelope stop = link.nextEnvelope(StopCommand.class);
    ServiceRef expected = RuntimeNames.serviceRef(owner.orgId(), slug, service);
    assertThat(((StopCommand) stop.payload()).service()).isEqualTo(expected);
    assertThat(expected.organization()).isEqualTo(RuntimeNames.organizationKey(owner.orgId()));
    link.send(Envelope.replyTo(stop, CommandResult.ok(), Clock.systemUTC()));
    link.send(heartbeat()); // stays online (the tests' offline limit is 3 s)
  }

  private String answerStop(TestAgentLink link) throws Exception {
    Envelope stop = link.nextEnvelope(StopCommand.class);
    link.send(Envelope.replyTo(stop, CommandResult.ok(), Clock.systemUTC()));
    return ((StopCommand) stop.payload()).service().toString();
  }

  private record Server(UUID id, String token) {}

  private Server newServer(String name) {
    Api.Response created = ok(client.post("/api/v1/servers", Map.of("name", name)));
    return new Server(
        UUID.fromString(created.json().get("server").get("id").stringValue()),
        created.json().get("registration_token").stringValue());
  }

  private String newProject(String slug) {
    return ok(client.post("/api/v1/projects", Map.of("name", slug, "slug", slug)))
        .json()
        .get("id")
        .stringValue();
  }

  private String newService(String project, String name, UUID server) {
    return ok(client.post(
            "/api/v1/projects/" + project + "/services",
            Map.of("name", name, "image", "busybox:1", "server_id", server.toString())))
        .json()
        .get("id")
        .stringValue();
  }

  private static Api.Response ok(Api.Response response) {
    assertThat(response.status()).as(response.toString()).isBetween(200, 299);
    return response;
  }

  private TestAgentLink connect() throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"));
  }
}
