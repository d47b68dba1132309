package dev.syntra.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.security.TokenFormat;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The product's first complete path, with every part real: the control plane (its executable jar,
 * with its embedded PostgreSQL), the agent as its own process from the distribution jar, and the
 * Docker daemon with the local registry. A user registers a server, starts the agent with the
 * install token, deploys a service with a 127.0.0.1 host port, rolls to a new version under a
 * request loop, and rolls back; then the faults: the control plane or the agent SIGKILLed
 * mid-deploy, bad tokens.
 */
@ExtendWith(DockerEngine.class)
class AgentDeployEndToEndIT {
  private static final String IMAGE = "127.0.0.1:5000/syntra-test/httpd";
  private static final Pattern VERSION = Pattern.compile("httpd:(\\d+)");

  @TempDir static Path shared;
  private static ControlPlane server;
  private static Rest rest;

  @TempDir Path dir;
  private final List<AgentProcess> agents = new ArrayList<>();
  private final List<String> projects = new ArrayList<>();

  @BeforeAll
  static void startControlPlane() throws Exception {
    server = new ControlPlane(shared.resolve("server")).start();
    rest = server.rest();
  }

  @AfterAll
  static void stopControlPlane() throws Exception {
    server.close();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (AgentProcess agent : agents) {
      agent.close();
    }
    projects.forEach(DockerEngine::removeProject);
  }

  @Test
  void registersDeploysRollsWithoutFailedRequestsAndRollsBack() throws Exception {
    Setup s = setUp("main", 2, 1000);
    AgentProcess agent = startAgent(s, s.registrationToken());
    awaitOnline(s, agent);

    String v1 = deploy(s, Map.of());
    JsonNode first = awaitTerminal(v1, agent);
    assertThat(first.get("status").stringValue()).isEqualTo("running");
    assertThat(statuses(first)).containsSubsequence("queued", "deploying", "running");
    assertThat(phases(first)).contains("pulling", "health_checking", "running");
    assertThat(httpGet(s.hostPort())).isEqualTo("1");

    RequestLoop loop = RequestLoop.start(s.hostPort());
    String v2 = deploy(s, Map.of("tag", "2", "strategy", "rolling"));
    JsonNode second = awaitTerminal(v2, agent);
    assertThat(second.get("status").stringValue()).as(second.toString()).isEqualTo("running");
    assertThat(httpGet(s.hostPort())).isEqualTo("2");

    JsonNode rollback =
        rest.post("/api/v1/services/" + s.serviceId() + "/rollback", Map.of()).expect(202).json();
    JsonNode rolledBack = awaitTerminal(rollback.get("id").stringValue(), agent);
    RequestLoop.Result result = loop.stop();
    assertThat(rolledBack.get("status").stringValue()).isEqualTo("running");
    assertThat(rolledBack.get("rollback_of").stringValue()).isEqualTo(v1);
    assertThat(httpGet(s.hostPort())).isEqualTo("1");
    System.out.printf(
        "zero-downtime loop over a rolling update and a rollback: %d requests, %d failed%n",
        result.sent(), result.failed());
    assertThat(result.sent()).isGreaterThan(50);
    assertThat(result.failed()).as(result.toString()).isZero();

    String events = rest.send("GET", "/api/v1/deployments/" + v2 + "/events", null).body();
    assertThat(events).contains("running");
    JsonNode list =
        rest.get("/api/v1/services/" + s.serviceId() + "/deployments").expect(200).json();
    assertThat(list.toString()).contains(v1, v2, rollback.get("id").stringValue());
    // Only the current deployment says running; those it replaced are superseded.
    assertThat(rest.get("/api/v1/deployments/" + v2).json().get("status").stringValue())
        .isEqualTo("superseded");
  }

  @Test
  void theAgentFinishesADeployWhileTheControlPlaneIsKilledAndReportsAfterItRestarts()
      throws Exception {
    Setup s = setUp("srvdown", 1, 3000);
    AgentProcess agent = startAgent(s, s.registrationToken());
    awaitOnline(s, agent);
    assertThat(awaitTerminal(deploy(s, Map.of()), agent).get("status").stringValue())
        .isEqualTo("running");

    String v2 = deploy(s, Map.of("tag", "2"));
    awaitStatus(v2, "deploying", agent);
    server.kill(); // SIGKILL: links drop, its embedded PostgreSQL is left running
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> "2".equals(httpGet(s.hostPort())));
    } finally {
      server.start();
    }

    JsonNode done = awaitTerminal(v2, agent);
    assertThat(done.get("status").stringValue()).as(done.toString()).isEqualTo("running");
    // Redelivered after the reconnect (it was sent and unanswered) but executed once.
    assertThat(DockerEngine.containers("syntra.deployment", v2)).hasSize(1);
    assertThat(agent.alive()).isTrue();
  }

  @Test
  void anAgentKilledMidDeployReconcilesAndReportsTheRealStateAfterRestarting() throws Exception {
    Setup s = setUp("agentkill", 1, 3000);
    AgentProcess agent = startAgent(s, s.registrationToken());
    awaitOnline(s, agent);
    assertThat(awaitTerminal(deploy(s, Map.of()), agent).get("status").stringValue())
        .isEqualTo("running");

    String v2 = deploy(s, Map.of("tag", "2"));
    awaitStatus(v2, "deploying", agent);
    agent.kill();
    AgentProcess restarted = startAgent(s, null);

    JsonNode done = awaitTerminal(v2, restarted);
    String status = done.get("status").stringValue();
    assertThat(status).as(done.toString()).isIn("running", "failed");
    String serving =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> httpGet(s.hostPort()), v -> v != null);
    // What the control plane says is what runs.
    assertThat(serving).isEqualTo(status.equals("running") ? "2" : "1");
    System.out.println("agent killed mid-deploy: reported " + status + ", serving " + serving);
  }

  @Test
  void wrongAndReusedRegistrationTokensAreRefused() throws Exception {
    Setup s = setUp("tokens", 1, 1000);
    String unknown = TokenFormat.AGENT.generate(new SecureRandom());
    AgentProcess wrong = startAgent(s, unknown);
    assertThat(wrong.awaitExit(Duration.ofSeconds(60)))
        .as(wrong.output())
        .isNotZero()
        .isNotEqualTo(-1);
    assertThat(wrong.output()).containsIgnoringCase("invalid_token").doesNotContain(unknown);

    AgentProcess first = startAgent(s, s.registrationToken());
    awaitOnline(s, first);
    // The registration counts as used once the agent has proven it got its credential (its first
    // heartbeat); until then a lost hello_ok may be retried with the same token.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          JsonNode shown = rest.get("/api/v1/servers/" + s.serverId()).json();
          return !shown
              .get("last_heartbeat_at")
              .stringValue()
              .equals(shown.get("registered_at").stringValue());
        });
    first.close();
    AgentProcess reused = startAgentIn(dir.resolve("other-state"), s, s.registrationToken());
    assertThat(reused.awaitExit(Duration.ofSeconds(60)))
        .as(reused.output())
        .isNotZero()
        .isNotEqualTo(-1);
    assertThat(reused.output())
        .containsIgnoringCase("token_reused")
        .doesNotContain(s.registrationToken());
  }

  // ---------------------------------------------------------------------------------------------

  private record Setup(
      String projectSlug,
      String serviceId,
      String serverId,
      String registrationToken,
      String caSha256,
      int hostPort) {
    ServerRegistration registration() {
      return new ServerRegistration(serverId, registrationToken, caSha256);
    }
  }

  private Setup setUp(String name, int replicas, int healthIntervalMs) {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    JsonNode project =
        rest.post("/api/v1/projects", Map.of("name", "e2e-" + name + "-" + suffix))
            .expect(201)
            .json();
    String projectId = project.get("id").stringValue();
    String slug = project.get("slug").stringValue();
    projects.add(slug);
    ServerRegistration registered = ServerRegistration.create(rest, "e2e-" + name + "-" + suffix);
    String serverId = registered.serverId();
    int hostPort = ControlPlane.freePort();
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", "web");
    service.put("image", IMAGE + ":1");
    service.put("port", 8080);
    service.put("replicas", replicas);
    service.put("publish", Map.of("host_ip", "127.0.0.1", "host_port", hostPort));
    service.put("health_check", Map.of("path", "/", "interval_ms", healthIntervalMs));
    service.put("server_id", serverId);
    JsonNode svc =
        rest.post("/api/v1/projects/" + projectId + "/services", service).expect(201).json();
    return new Setup(
        slug,
        svc.get("id").stringValue(),
        serverId,
        registered.token(),
        registered.caSha256(),
        hostPort);
  }

  private AgentProcess startAgent(Setup s, String token) throws IOException {
    return startAgentIn(dir.resolve("agent-state"), s, token);
  }

  private AgentProcess startAgentIn(Path state, Setup s, String token) throws IOException {
    AgentProcess agent = AgentProcess.run(state, s.registration().agentArgs(server, token));
    agents.add(agent);
    return agent;
  }

  private void awaitOnline(Setup s, AgentProcess agent) {
    s.registration().awaitOnline(rest, agent);
  }

  private String deploy(Setup s, Map<String, Object> body) {
    JsonNode d =
        rest.post("/api/v1/services/" + s.serviceId() + "/deploy", body).expect(202).json();
    assertThat(d.get("status").stringValue()).isEqualTo("queued");
    return d.get("id").stringValue();
  }

  private JsonNode awaitTerminal(String deploymentId, AgentProcess agent) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .failFast("the agent exited:\n" + agent.output(), () -> !agent.alive())
        .until(
            () -> rest.get("/api/v1/deployments/" + deploymentId).json(),
            d ->
                List.of("running", "superseded", "failed", "rolled_back", "cancelled")
                    .contains(d.get("status").stringValue()));
  }

  private void awaitStatus(String deploymentId, String status, AgentProcess agent) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .failFast("the agent exited:\n" + agent.output(), () -> !agent.alive())
        .until(() ->
            status.equals(
                rest.get("/api/v1/deployments/" + deploymentId)
                    .json()
                    .get("status")
                    .stringValue()));
  }

  private static List<String> statuses(JsonNode deployment) {
    List<String> out = new ArrayList<>();
    deployment.get("events").forEach(e -> out.add(e.get("status").stringValue()));
    return out;
  }

  private static List<String> phases(JsonNode deployment) {
    List<String> out = new ArrayList<>();
    deployment
        .get("events")
        .forEach(e -> {
          if (e.hasNonNull("phase")) {
            out.add(e.get("phase").stringValue());
          }
        });
    return out;
  }

  static String httpGet(int port) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    try {
      if (c.getResponseCode() != 200) {
        throw new IOException("HTTP " + c.getResponseCode());
      }
      // The test images answer "syntra test image httpd:<version>": the version is what matters.
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      Matcher version = VERSION.matcher(body);
      return version.find() ? version.group(1) : body;
    } finally {
      c.disconnect();
    }
  }

  /** Requests in a loop on one thread, each on a new connection, until stopped (at most 5 min). */
  static final class RequestLoop {
    record Result(int sent, int failed, List<String> failures) {}

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;

    private RequestLoop(int port) {
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      thread =
          Thread.ofPlatform()
              .name("request-loop")
              .start(() -> {
                while (running.get() && System.nanoTime() < deadline) {
                  sent.incrementAndGet();
                  try {
                    httpGet(port);
                  } catch (IOException e) {
                    failed.incrementAndGet();
                    synchronized (failures) {
                      if (failures.size() < 10) {
                        failures.add(e.toString());
                      }
                    }
                  }
                }
              });
    }

    static RequestLoop start(int port) {
      return new RequestLoop(port);
    }

    Result stop() throws InterruptedException {
      running.set(false);
      thread.join();
      synchronized (failures) {
        return new Result(sent.get(), failed.get(), List.copyOf(failures));
      }
    }
  }
}
