package dev.syntra.server.hub;

import static dev.syntra.server.hub.AgentHubTest.heartbeat;
import static dev.syntra.server.hub.AgentHubTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.cluster.DatabaseNotifications;
import dev.syntra.server.command.AgentCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub when another instance of the control plane shares its database: what the other instance
 * does is what it writes (its hello names its own link, its heartbeats refresh the row, its
 * commands raise notifications), done here with SQL. Offline after 3 s in these tests.
 */
class SharedDatabaseHubTest extends ServerTestSupport {
  @Autowired private AgentHub hub;
  @Autowired private AgentCommands commands;
  @Autowired private ServerSettings settings;
  @Autowired private DatabaseNotifications notifications;

  private Tenants.Member owner;
  private Api client;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void anAgentReconnectingToAnotherInstanceClosesItsOldLinkHereAndStaysOnline() throws Exception {
    UUID server = newServer("moved");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, registrationToken(server)));
      link.next(HelloOk.class);
      await().until(() -> hub.connected(server));
      // Its old link here may be half-open: this hub must not keep claiming the server's commands.
      otherInstanceTakesTheLink(server);
      assertThat(link.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    await().until(() -> !hub.connected(server));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> status(server).equals("online"));
  }

  @Test
  void aLinkClosingHereStillMarksItsServerOfflineWhenNoOtherLinkReplacedIt() throws Exception {
    UUID server = newServer("gone");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, registrationToken(server)));
      link.next(HelloOk.class);
      await().until(() -> status(server).equals("online"));
    }
    await().until(() -> status(server).equals("offline"));
  }

  @Test
  void theSweepKeepsOnlineAServerHeartbeatingThroughAnotherInstanceUntilItsHeartbeatsStop()
      throws Exception {
    UUID server = newServer("elsewhere");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, registrationToken(server)));
      link.next(HelloOk.class);
      link.send(heartbeat());
      otherInstanceTakesTheLink(server);
    }
    // The other instance records a heartbeat every 500 ms, for longer than offline-after (3 s).
    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    await()
        .pollInterval(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          assertThat(status(server)).isEqualTo("online");
          otherInstanceHeartbeats(server);
          return System.nanoTime() > until;
        });
    // The other instance is gone (killed): no more heartbeats, and this sweep marks it offline.
    await().atMost(Duration.ofSeconds(15)).until(() -> status(server).equals("offline"));
  }

  @Test
  void aCommandQueuedByAnyInstanceNotifiesEveryInstanceAndReachesTheAgent() throws Exception {
    List<UUID> notified = new CopyOnWriteArrayList<>();
    notifications.subscribeToIds(HubNotifications.COMMANDS, notified::add);
    await().until(notifications::listening);
    UUID server = newServer("notified");
    try (TestAgentLink link = connect()) {
      link.send(hello(null, registrationToken(server)));
      link.next(HelloOk.class);
      // Queued the way another instance queues it: committed, without this hub's local wake-up.
      UUID command =
          tenancy.inOrg(
              owner.orgId(),
              null,
              h ->
                  commands.enqueue(
                      h,
                      owner.orgId(),
                      server,
                      null,
                      new RestartCommand(new ServiceRef("k3x9a2", "p", "web"))));
      await().untilAsserted(() -> assertThat(notified).contains(server));
      Envelope delivered = link.nextEnvelope(RestartCommand.class);
      assertThat(delivered.id()).isEqualTo(command.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** What the other instance's accepted hello writes. */
  private void otherInstanceTakesTheLink(UUID server) {
    update(
        server,
        "UPDATE servers SET agent_link = :other, agent_status = 'online', last_heartbeat_at = now()"
            + " WHERE id = :id");
  }

  private void otherInstanceHeartbeats(UUID server) {
    update(
        server,
        "UPDATE servers SET last_heartbeat_at = now() WHERE id = :id AND :other IS NOT NULL");
  }

  private void update(UUID server, String sql) {
    tenancy.inOrg(
        owner.orgId(),
        null,
        h -> h.createUpdate(sql).bind("id", server).bind("other", UUID.randomUUID()).execute());
  }

  private String status(UUID server) {
    return client.get("/api/v1/servers/" + server).json().get("status").stringValue();
  }

  private final Map<UUID, String> tokens = new java.util.HashMap<>();

  private UUID newServer(String name) {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    UUID id = UUID.fromString(created.json().get("server").get("id").stringValue());
    tokens.put(id, created.json().get("registration_token").stringValue());
    return id;
  }

  private String registrationToken(UUID server) {
    return tokens.get(server);
  }

  private TestAgentLink connect() throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"));
  }
}
