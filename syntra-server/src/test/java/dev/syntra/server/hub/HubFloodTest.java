package dev.syntra.server.hub;

import static dev.syntra.server.hub.AgentHubTest.heartbeat;
import static dev.syntra.server.hub.AgentHubTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.server.Api;
import dev.syntra.server.FloodTestSupport;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.Tenants;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub under an unauthenticated flood: connection caps per address, every failed hello throttled
 * (reconnects with a wrong credential too) without locking out known agents behind the same
 * address, junk tokens refused without a query, and a small frame limit until {@code hello_ok}.
 */
class HubFloodTest extends FloodTestSupport {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Autowired private AgentHub hub;
  @Autowired private ServerSettings settings;
  @Autowired private MeterRegistry meters;
  @Autowired private Jdbi jdbi;

  private Api client;

  @BeforeEach
  void setUp() {
    Tenants.Member owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @Test
  void closesConnectionsBeyondThePerAddressCapAtOnce() throws Exception {
    double refusedBefore = refused("per_address");
    List<Watched> open = new ArrayList<>();
    try {
      // Accepted sockets are set up on two event loops at once: which one is refused may vary.
      for (int i = 0; i <= HUB_PER_ADDRESS; i++) {
        open.add(new Watched(connectRaw(loopback(21))));
      }
      await().until(() -> refused("per_address") == refusedBefore + 1);
      await().until(() -> open.stream().filter(w -> w.closed.get()).count() == 1);
      // Another address is not affected: an agent registers while .21 is full.
      Registration server = newServer("beside-a-flood");
      try (TestAgentLink link = connect(loopback(22))) {
        link.send(hello(null, server.token()));
        assertThat(link.next(HelloOk.class).agentId()).startsWith("agt_");
      }
      assertThat(open.stream().filter(w -> w.closed.get()).count()).isEqualTo(1);
    } finally {
      for (Watched watched : open) {
        watched.socket.close();
      }
    }
  }

  /** A raw connection whose closing by the server is noticed by a reader thread. */
  private static final class Watched {
    final Socket socket;
    final AtomicBoolean closed = new AtomicBoolean();

    Watched(Socket socket) {
      this.socket = socket;
      Thread.ofVirtual()
          .start(() -> {
            try {
              InputStream in = socket.getInputStream();
              while (in.read() != -1) {
                // nothing is expected before the TLS handshake; read to the end
              }
            } catch (IOException e) {
              // reset or closed by the test
            }
            closed.set(true);
          });
    }
  }

  @Test
  void throttlesFailedReconnectsButNotAKnownAgentBehindTheSameAddress() throws Exception {
    Registration server = newServer("behind-nat");
    InetAddress nat = loopback(31);
    HelloOk ok;
    try (TestAgentLink link = connect(nat)) {
      link.send(hello(null, server.token()));
      ok = link.next(HelloOk.class);
      link.send(heartbeat());
    }
    await().until(() -> !hub.connected(server.id()));
    // An attacker behind the same address guesses credentials of that agent, then registers.
    String wrong = TokenFormat.AGENT.generate(RANDOM);
    for (int i = 0; i < HELLO_FAILURES; i++) {
      assertThat(rejection(nat, hello(ok.agentId(), wrong)))
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
    }
    assertThat(rejection(nat, hello(ok.agentId(), wrong)))
        .isEqualTo(HelloRejected.Reason.RATE_LIMITED);
    assertThat(rejection(nat, hello(null, TokenFormat.AGENT.generate(RANDOM))))
        .isEqualTo(HelloRejected.Reason.RATE_LIMITED);
    assertThat(rejection(nat, hello("agt_madeUpAgentId00001", wrong)))
        .isEqualTo(HelloRejected.Reason.RATE_LIMITED);
    // The address is over its budget, yet the agent it knows still gets in... once its own budget
    // allows: the wrong guesses above were counted against that agent id too.
    Registration other = newServer("same-nat");
    HelloOk second;
    try (TestAgentLink link = connect(loopback(32))) {
      link.send(hello(null, other.token()));
      second = link.next(HelloOk.class);
      link.send(heartbeat());
    }
    await().until(() -> !hub.connected(other.id()));
    try (TestAgentLink link = connect(nat)) {
      // A known agent id whose own budget is intact passes the exhausted address.
      link.send(hello(second.agentId(), second.credential()));
      assertThat(link.next(HelloOk.class).agentId()).isEqualTo(second.agentId());
    }
  }

  @Test
  void junkAgentTokensAndCredentialsCostNoQuery() throws Exception {
    Registration server = newServer("junk");
    AtomicInteger lookups = new AtomicInteger();
    SqlLogger previous = jdbi.getConfig(SqlStatements.class).getSqlLogger();
    jdbi.getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext context) {
                previous.logBeforeExecution(context);
                if (context.getRenderedSql().contains("syntra_find_server_by_")) {
                  lookups.incrementAndGet();
                }
              }
            });
    try {
      String good = TokenFormat.AGENT.generate(RANDOM);
      String badChecksum = good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A");
      InetAddress from = loopback(41);
      assertThat(rejection(from, hello(null, badChecksum)))
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
      assertThat(rejection(from, hello("agt_whatever0000000001", badChecksum)))
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
      assertThat(lookups).hasValue(0);
      // A well-formed token is looked up: the counter sees lookups when there are some.
      assertThat(rejection(loopback(42), hello(null, good)))
          .isEqualTo(HelloRejected.Reason.INVALID_TOKEN);
      assertThat(lookups).hasValue(1);
      try (TestAgentLink link = connect(loopback(43))) {
        link.send(hello(null, server.token()));
        link.next(HelloOk.class);
      }
    } finally {
      jdbi.getConfig(SqlStatements.class).setSqlLogger(previous);
    }
  }

  @Test
  void anUnauthenticatedLinkMaySendOnlySmallMessagesUntilHelloOk() throws Exception {
    String big = "{\"v\":1,\"pad\":\"" + "x".repeat(settings().helloMaxBytes()) + "\"}";
    try (TestAgentLink link = connect(loopback(51))) {
      link.sendTextQuietly(big);
      assertThat(link.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }
    Registration server = newServer("big-after-hello");
    try (TestAgentLink link = connect(loopback(52))) {
      link.send(hello(null, server.token()));
      link.next(HelloOk.class);
      // After hello_ok the session's limit applies: a 1 MiB message is read (and refused as
      // unreadable JSON with an error), not cut off by the pre-hello limit.
      link.sendText("{\"v\":1,\"pad\":\"" + "x".repeat(1 << 20) + "\"}");
      assertThat(link.next().payload())
          .isInstanceOf(dev.syntra.protocol.message.ProtocolError.class);
    }
  }

  private HubSettings settings() {
    return hub.settings();
  }

  private double refused(String limit) {
    var counter = meters.find("syntra.hub.refused").tag("limit", limit).counter();
    return counter == null ? 0 : counter.count();
  }

  private HelloRejected.Reason rejection(InetAddress from, dev.syntra.protocol.message.AgentHello h)
      throws Exception {
    try (TestAgentLink link = connect(from)) {
      link.send(h);
      return link.next(HelloRejected.class).reason();
    }
  }

  private Socket connectRaw(InetAddress from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hub.port()), 5000);
    return socket;
  }

  private record Registration(UUID id, String token) {}

  private Registration newServer(String name) {
    Api.Response created = client.post("/api/v1/servers", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Registration(
        UUID.fromString(created.json().get("server").get("id").stringValue()),
        created.json().get("registration_token").stringValue());
  }

  private TestAgentLink connect(InetAddress from) throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"), from);
  }
}
