package dev.syntra.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.message.SystemMetrics;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.command.AgentCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub over real TLS on loopback, with a bare protocol client: registration, reconnects,
 * refusals, liveness and command delivery.
 */
class AgentHubTest extends ServerTestSupport {
  @Autowired private AgentHub hub;
  @Autowired private AgentCommands commands;
  @Autowired private ServerSettings settings;

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void registersWithTheOneTimeTokenThenReconnectsWithTheCredential() throws Exception {
    Registration server = newServer("reg");
    HelloOk ok;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      ok = link.next(HelloOk.class);
      link.send(heartbeat()); // proves the credential arrived: the registration is confirmed
      await()
          .untilAsserted(() ->
              assertThat(client.get("/api/v1/servers/" + server.id()).text())
                  .contains("\"last_heartbeat_at\":\""));
      await().until(() -> confirmed(server.id()));
    }
    assertThat(ok.serverId()).isEqualTo(server.id().toString());
    assertThat(ok.credential()).isNotNull().startsWith("syn_tkn_").isNotEqualTo(server.token());
    assertThat(ok.settings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    var shown = client.get("/api/v1/servers/" + server.id()).json();
    assertThat(shown.get("hostname").stringValue()).isEqualTo("test-host");
    assertThat(shown.get("runtime").stringValue()).isEqualTo("docker");
    assertThat(shown.get("registered_at").isNull()).isFalse();
    assertThat(client.get("/api/v1/audit-log?action=agent.registered").text())
        .contains(server.id().toString());

    try (TestAgentLink again = connect()) {
      again.send(hello(null, server.token()));
      assertThat(again.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.TOKEN_REUSED);
      assertThat(again.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    try (TestAgentLink reconnect = connect()) {
      reconnect.send(hello(ok.agentId(), ok.credential()));
      HelloOk second = reconnect.next(HelloOk.class);
      assertThat(second.agentId()).isEqualTo(ok.agentId());
      assertThat(second.credential()).isNull();
      await().until(() -> hub.connected(server.id()));
    }
    try (TestAgentLink wrong = connect()) {
      wrong.send(hello(ok.agentId(), server.token()));
      assertThat(wrong.next(HelloRejected.class).reason())
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    }
  }

  @Test
  void refusesUnknownExpiredAndMalformedTokens() throws Exception {
    Registration server = newServer("expired");
    tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET registration_expires_at = now() - interval '1 minute'"
                        + " WHERE id = :id")
                .bind("id", server.id())
                .execute());
    assertThat(rejection(hello(null, server.token())))
        .isEqualTo(HelloRejected.Reason.TOKEN_EXPIRED);
    assertThat(rejection(hello(null, "syn_tkn_" + "a".repeat(36))))
        .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    assertThat(rejection(hello("agt_unknown", "syn_tkn_nope")))
        .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
  }

  @Test
  void refusesEverythingBeforeHelloAndClosesSilentLinks() throws Exception {
    try (TestAgentLink link = connect()) {
      Envelope sent = link.send(heartbeat());
      Envelope answer = link.nextEnvelope(ProtocolError.class);
      assertThat(answer.replyTo()).isEqualTo(sent.id());
      assertThat(((ProtocolError) answer.payload()).code()).isEqualTo("not_allowed");
      // No valid hello: the hub closes the link after its hello timeout (10 s).
      assertThat(link.awaitClosed(Duration.ofSeconds(20))).isTrue();
    }
  }

  @Test
  void refusesReplayedEnvelopesAndRecordsHeartbeatsUntilTheyStop() throws Exception {
    Registration server = newServer("beats");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      link.next(HelloOk.class);
      Envelope beat = link.send(heartbeat());
      link.send(beat);
      Envelope refused = link.nextEnvelope(ProtocolError.class);
      assertThat(((ProtocolError) refused.payload()).code()).isEqualTo("replayed");
      await()
          .untilAsserted(() ->
              assertThat(client.get("/api/v1/servers/" + server.id()).text())
                  .contains("\"status\":\"online\""));
      // Heartbeats stop: after SYNTRA_AGENT_OFFLINE_AFTER (3 s here) the server is offline and the
      // hub drops the link.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() ->
              assertThat(client.get("/api/v1/servers/" + server.id()).text())
                  .contains("\"status\":\"offline\""));
      assertThat(link.awaitClosed(Duration.ofSeconds(20))).isTrue();
    }
  }

  @Test
  void deliversQueuedCommandsOnConnectAndRedeliversUnansweredOnesUnderTheSameId() throws Exception {
    Registration server = newServer("cmds");
    HelloOk ok;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      ok = link.next(HelloOk.class);
    }
    await().until(() -> !hub.connected(server.id()));
    UUID command =
        tenancy.inOrg(
            owner.orgId(),
            null,
            h ->
                commands.enqueue(
                    h,
                    owner.orgId(),
                    server.id(),
                    null,
                    new RestartCommand(new ServiceRef("k3x9a2", "shop", "web"))));

    Envelope first;
    try (TestAgentLink link = connect()) {
      link.send(hello(ok.agentId(), ok.credential()));
      link.next(HelloOk.class);
      first = link.nextEnvelope(RestartCommand.class);
      assertThat(first.id()).isEqualTo(command.toString());
    }
    try (TestAgentLink link = connect()) {
      link.send(hello(ok.agentId(), ok.credential()));
      link.next(HelloOk.class);
      Envelope again = link.nextEnvelope(RestartCommand.class);
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.nonce()).isNotEqualTo(first.nonce());
      link.send(Envelope.replyTo(again, CommandResult.ok(), Clock.systemUTC()));
      await().until(() -> "succeeded".equals(status(command)));

      // A command queued while the agent is connected arrives at once (wake after commit).
      UUID live =
          tenancy.inOrg(
              owner.orgId(),
              null,
              h ->
                  commands.enqueue(
                      h,
                      owner.orgId(),
                      server.id(),
                      null,
                      new RestartCommand(new ServiceRef("k3x9a2", "shop", "api"))));
      commands.wake(server.id());
      assertThat(link.nextEnvelope(RestartCommand.class).id()).isEqualTo(live.toString());
      link.send(
          Envelope.replyTo(
              new Envelope(
                  1,
                  live.toString(),
                  Instant.now(),
                  "nonce-of-test-000001",
                  null,
                  new RestartCommand(new ServiceRef("k3x9a2", "shop", "api"))),
              CommandResult.failed("service_not_found", "no such service"),
              Clock.systemUTC()));
      await().until(() -> "failed".equals(status(live)));
    }
  }

  @Test
  void aRegistrationWhoseHelloOkWasLostCanBeRepeatedUntilTheAgentConfirmsIt() throws Exception {
    Registration server = newServer("lost");
    HelloOk lost;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      lost = link.next(HelloOk.class); // as if it never reached the agent: no heartbeat follows
    }
    HelloOk again;
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      again = link.next(HelloOk.class);
      link.send(heartbeat());
      await().until(() -> confirmed(server.id()));
    }
    assertThat(again.agentId()).isNotEqualTo(lost.agentId());
    assertThat(again.credential()).isNotEqualTo(lost.credential());
    assertThat(rejection(hello(lost.agentId(), lost.credential())))
        .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    assertThat(rejection(hello(null, server.token()))).isEqualTo(HelloRejected.Reason.TOKEN_REUSED);
  }

  @Test
  void deletingAServiceStopsItOnItsServerAndDeletingTheServerDropsTheLink() throws Exception {
    Registration server = newServer("deletes");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, server.token()));
      link.next(HelloOk.class);
      String project =
          client
              .post(
                  "/api/v1/projects", Map.of("name", "del-" + server.id().toString().substring(30)))
              .json()
              .get("id")
              .stringValue();
      var created =
          client.post(
              "/api/v1/projects/" + project + "/services",
              Map.of("name", "web", "image", "busybox:1", "server_id", server.id().toString()));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String service = created.json().get("id").stringValue();

      assertThat(client.delete("/api/v1/services/" + service).status()).isEqualTo(204);
      StopCommand stop = link.next(StopCommand.class);
      assertThat(stop.service().service()).isEqualTo("web");

      assertThat(client.delete("/api/v1/servers/" + server.id()).status()).isEqualTo(204);
      assertThat(link.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void refusesToQueueACommandLargerThanTheLinkCarries() {
    Registration server = newServer("huge");
    DeploySpec.Builder spec =
        DeploySpec.builder(
            UUID.randomUUID().toString(), new ServiceRef("k3x9a2", "shop", "web"), "busybox:1");
    for (int i = 0; i < 80; i++) {
      spec.env("BIG_" + i, "x".repeat(60_000));
    }
    DeployCommand command = new DeployCommand(spec.build());
    assertThatThrownBy(() ->
            tenancy.inOrg(
                owner.orgId(),
                null,
                h -> commands.enqueue(h, owner.orgId(), server.id(), null, command)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("message limit of 4194304 bytes");
  }

  private boolean confirmed(UUID serverId) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT agent_confirmed_at IS NOT NULL FROM servers WHERE id = :id")
                .bind("id", serverId)
                .mapTo(Boolean.class)
                .one());
  }

  private String status(UUID command) {
    return tenancy.inOrg(
        owner.orgId(),
        null,
        h ->
            h.createQuery("SELECT status FROM agent_commands WHERE id = :id")
                .bind("id", command)
                .mapTo(String.class)
                .one());
  }

  private HelloRejected.Reason rejection(AgentHello hello) throws Exception {
    try (TestAgentLink link = connect()) {
      link.send(hello);
      return link.next(HelloRejected.class).reason();
    }
  }

  private record Registration(UUID id, String token) {}

  private Registration newServer(String name) {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Registration(
        UUID.fromString(created.json().get("server").get("id").stringValue()),
        created.json().get("registration_token").stringValue());
  }

  private TestAgentLink connect() throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"));
  }

  static AgentHello hello(String agentId, String token) {
    return new AgentHello(
        agentId,
        token,
        "0.1.0",
        "docker",
        "debian-12",
        "x86_64",
        "test-host",
        new AgentHello.Resources(2, 8L << 30, 100L << 30),
        null);
  }

  static Heartbeat heartbeat() {
    return new Heartbeat(
        new SystemMetrics(
            12.5,
            List.of(10.0, 15.0),
            0.5,
            1L << 30,
            8L << 30,
            1L << 30,
            100L << 30,
            1000,
            2000,
            3600),
        0,
        0,
        List.of(),
        0);
  }
}
