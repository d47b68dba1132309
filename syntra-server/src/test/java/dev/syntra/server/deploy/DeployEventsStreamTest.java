package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.fleet.AgentRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code GET /deployments/{id}/events}: replay, live events, the end, limits and isolation. */
class DeployEventsStreamTest extends ServerTestSupport {
  @Autowired private DeployReports reports;
  @Autowired private SecretBox box;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private DeployFixture shop;

  /** A client's view of one open stream: its lines so far, and whether the server ended it. */
  private record Opened(int status, List<String> lines, AtomicBoolean ended, Stream<String> body) {
    long count(String line) {
      return lines.stream().filter(line::equals).count();
    }
  }

  @BeforeEach
  void setUp() {
    shop = new DeployFixture(api, tenants, tenancy);
  }

  @Test
  void replaysThenStreamsLiveEventsAndEndsWhenTheDeploymentFinishes() {
    UUID id = shop.deploy(Map.of());
    report(id, DeployPhase.PULLING);
    Opened stream = open(id, shop.owner.token(), null);
    assertThat(stream.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.count("event:deployment_event") == 2);
    assertThat(stream.ended()).isFalse();

    report(id, DeployPhase.HEALTH_CHECKING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.count("event:deployment_event") == 3);
    report(id, DeployPhase.RUNNING);
    await().atMost(Duration.ofSeconds(10)).untilTrue(stream.ended());
    assertThat(stream.lines()).contains("event:end", "data:{\"status\":\"running\"}");
    List<String> data = stream.lines().stream().filter(l -> l.startsWith("data:{\"seq\"")).toList();
    assertThat(data).hasSize(4);
    assertThat(data.get(0)).contains("\"status\":\"queued\"");
    assertThat(data.get(1)).contains("\"phase\":\"pulling\"");
    assertThat(data.get(3)).contains("\"status\":\"running\"", "\"deployment_id\":\"" + id);
  }

  @Test
  void resumesAfterLastEventIdAndEndsAtOnceForFinishedDeployments() {
    UUID id = shop.deploy(Map.of());
    report(id, DeployPhase.PULLING);
    report(id, DeployPhase.RUNNING);
    JsonEvents all = new JsonEvents(open(id, shop.owner.token(), null));
    List<String> ids = all.ids();
    assertThat(ids).hasSize(3);
    Opened resumed = open(id, shop.owner.token(), ids.get(0));
    await().atMost(Duration.ofSeconds(10)).untilTrue(resumed.ended());
    assertThat(new JsonEvents(resumed).ids()).containsExactly(ids.get(1), ids.get(2));
  }

  @Test
  void anotherOrganizationUnknownIdsAndBadResumeIdsAreRefused() {
    UUID id = shop.deploy(Map.of());
    assertThat(open(id, tenants.newOrganization().token(), null).status()).isEqualTo(404);
    assertThat(open(UUID.randomUUID(), shop.owner.token(), null).status()).isEqualTo(404);
    assertThat(open(id, shop.owner.token(), "abc").status()).isEqualTo(400);
    assertThat(open(id, null, null).status()).isEqualTo(401);
  }

  @Test
  void anOrganizationHasABoundedNumberOfOpenStreams() {
    UUID id = shop.deploy(Map.of());
    List<Opened> open = new ArrayList<>();
    try {
      for (int i = 0; i < DeploymentStreams.MAX_STREAMS_PER_ORG; i++) {
        Opened stream = open(id, shop.owner.token(), null);
        assertThat(stream.status()).isEqualTo(200);
        open.add(stream);
      }
      Opened refused = open(id, shop.owner.token(), null);
      assertThat(refused.status()).isEqualTo(429);
      await().atMost(Duration.ofSeconds(10)).untilTrue(refused.ended());
      assertThat(String.join("\n", refused.lines())).contains("too_many_streams");
      // Another organization is not affected.
      DeployFixture other = new DeployFixture(api, tenants, tenancy);
      Opened theirs = open(other.deploy(Map.of()), other.owner.token(), null);
      assertThat(theirs.status()).isEqualTo(200);
      theirs.body().close();
    } finally {
      open.forEach(s -> s.body().close());
    }
  }

  @Test
  void aStreamEndsWhenItsTokenIsRevoked() {
    UUID id = shop.deploy(Map.of());
    Tenants.Member reader = tenants.newToken(shop.owner, Set.of(Scope.READ));
    Opened stream = open(id, reader.token(), null);
    assertThat(stream.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.count("event:deployment_event") == 1);
    assertThat(stream.ended()).isFalse();

    assertThat(api.as(shop.owner.token()).delete("/api/v1/tokens/" + reader.tokenId()).status())
        .isEqualTo(204);
    await()
        .atMost(DeploymentStreams.TOKEN_CHECK_INTERVAL.plus(Duration.ofSeconds(10)))
        .untilTrue(stream.ended());
    assertThat(stream.lines()).doesNotContain("event:end"); // not finished: cut off
    assertThat(open(id, reader.token(), null).status()).isEqualTo(401);
  }

  private void report(UUID deployment, DeployPhase phase) {
    UUID command = shop.commands(box, deployment).getFirst().id();
    AgentRef agent = new AgentRef(shop.owner.orgId(), shop.server);
    tenancy.inOrg(
        agent.orgId(),
        null,
        h -> {
          reports.onDeployStatus(
              h,
              agent,
              command,
              Instant.now(),
              new DeployStatus(
                  deployment.toString(),
                  new ServiceRef("k3x9a2", "shop", "web"),
                  phase,
                  phase.name().toLowerCase(),
                  null));
          return null;
        });
  }

  /** Opens a stream; its lines are collected on a virtual thread until the server ends it. */
  private Opened open(UUID deployment, String token, String lastEventId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/deployments/" + deployment + "/events"))
            .header("Accept", "text/event-stream")
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    Stream<String> body = response.body();
    Thread.ofVirtual()
        .start(() -> {
          try {
            body.forEach(lines::add);
            ended.set(true);
          } catch (RuntimeException e) {
            // closed by the test
          }
        });
    return new Opened(response.statusCode(), lines, ended, body);
  }

  /** The ids of the deployment events of an ended stream. */
  private record JsonEvents(Opened stream) {
    List<String> ids() {
      await().atMost(Duration.ofSeconds(10)).untilTrue(stream.ended());
      return stream.lines().stream()
          .filter(l -> l.startsWith("id:"))
          .map(l -> l.substring(3))
          .toList();
    }
  }
}
