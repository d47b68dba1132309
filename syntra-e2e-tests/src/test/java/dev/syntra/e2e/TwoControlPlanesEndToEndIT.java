package dev.syntra.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two control planes (two processes from the executable jar) on ONE PostgreSQL, as behind a load
 * balancer: the agent is connected to instance B, the deploy is created through instance A and
 * runs, A's event stream follows what B records, both show the server online, and killing A leaves
 * the server online while its agent stays connected to B.
 */
@ExtendWith(DockerEngine.class)
class TwoControlPlanesEndToEndIT {
  private static final String IMAGE = "127.0.0.1:5000/syntra-test/httpd";

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private String project;

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable each : running.reversed()) {
      each.close();
    }
    if (project != null) {
      DockerEngine.removeProject(project);
    }
  }

  @Test
  void aDeployCreatedThroughOneInstanceRunsOnAnAgentConnectedToTheOther() throws Exception {
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres")).start();
    running.add(postgres);
    String masterKey = Base64.getEncoder().encodeToString(randomBytes());
    ControlPlane a = shared(new ControlPlane(dir.resolve("a")), postgres, masterKey).start();
    running.add(a);
    // Agents pin the hub CA: every instance serves certificates of the first instance's CA.
    Files.createDirectories(dir.resolve("b/hub"));
    for (String file : List.of("ca.crt", "ca.key")) {
      Files.copy(dir.resolve("a/hub").resolve(file), dir.resolve("b/hub").resolve(file));
    }
    ControlPlane b = shared(new ControlPlane(dir.resolve("b")), postgres, masterKey).start();
    running.add(b);
    Rest viaA = a.rest();
    Rest viaB = b.rest();

    String suffix = UUID.randomUUID().toString().substring(0, 6);
    JsonNode created =
        viaA.post("/api/v1/projects", Map.of("name", "e2e-two-" + suffix)).expect(201).json();
    project = created.get("slug").stringValue();
    ServerRegistration registered = ServerRegistration.create(viaA, "e2e-two-" + suffix);
    String serverId = registered.serverId();
    int hostPort = ControlPlane.freePort();
    String serviceId = createService(viaA, created.get("id").stringValue(), serverId, hostPort);

    AgentProcess agent =
        AgentProcess.run(dir.resolve("agent-state"), registered.agentArgs(b, registered.token()));
    running.add(agent);
    awaitStatus(viaA, serverId, "online", agent);
    assertThat(status(viaB, serverId)).isEqualTo("online");

    long queuedAt = System.nanoTime();
    JsonNode deploy =
        viaA.post("/api/v1/services/" + serviceId + "/deploy", Map.of()).expect(202).json();
    String deploymentId = deploy.get("id").stringValue();
    // A's event stream: the agent reports to B, which records the events A must stream.
    CompletableFuture<Rest.Response> streamOnA =
        CompletableFuture.supplyAsync(
            () -> viaA.send("GET", "/api/v1/deployments/" + deploymentId + "/events", null));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !"queued".equals(deploymentStatus(viaB, deploymentId)));
    System.out.printf(
        "command queued through A seen by the agent on B after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt));
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(120))
            .failFast("the agent exited:\n" + agent.output(), () -> !agent.alive())
            .until(
                () -> viaA.get("/api/v1/deployments/" + deploymentId).json(),
                d -> List.of("running", "failed").contains(d.get("status").stringValue()));
    assertThat(done.get("status").stringValue()).as(done.toString()).isEqualTo("running");
    assertThat(AgentDeployEndToEndIT.httpGet(hostPort)).isEqualTo("1");
    String streamed = streamOnA.get(60, TimeUnit.SECONDS).body();
    assertThat(streamed).contains("deploying").contains("running");

    a.kill(); // SIGKILL: A's sweep is gone, B's keeps judging by the agent's heartbeats
    await()
        .during(Duration.ofSeconds(8)) // longer than SYNTRA_AGENT_OFFLINE_AFTER (5 s)
        .atMost(Duration.ofSeconds(15))
        .until(() -> "online".equals(status(viaB, serverId)));
    JsonNode second =
        viaB.post("/api/v1/services/" + serviceId + "/deploy", Map.of("tag", "2"))
            .expect(202)
            .json();
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .until(() -> "2".equals(AgentDeployEndToEndIT.httpGet(hostPort)));
    assertThat(deploymentStatus(viaB, second.get("id").stringValue())).isIn("deploying", "running");
  }

  private static ControlPlane shared(
      ControlPlane instance, EmbeddedPostgres postgres, String masterKey) {
    return instance
        .with("SYNTRA_DB_URL", postgres.getJdbcUrl("postgres", "postgres"))
        .with("SYNTRA_DB_USER", "postgres")
        .with("SYNTRA_MASTER_KEY", masterKey);
  }

  private static String createService(Rest rest, String projectId, String serverId, int port) {
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", "web");
    service.put("image", IMAGE + ":1");
    service.put("port", 8080);
    service.put("replicas", 1);
    service.put("publish", Map.of("host_ip", "127.0.0.1", "host_port", port));
    service.put("health_check", Map.of("path", "/", "interval_ms", 1000));
    service.put("server_id", serverId);
    return rest.post("/api/v1/projects/" + projectId + "/services", service)
        .expect(201)
        .json()
        .get("id")
        .stringValue();
  }

  private static void awaitStatus(Rest rest, String serverId, String status, AgentProcess agent) {
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the agent exited:\n" + agent.output(), () -> !agent.alive())
        .until(() -> status.equals(status(rest, serverId)));
  }

  private static String status(Rest rest, String serverId) {
    return rest.get("/api/v1/servers/" + serverId).json().get("status").stringValue();
  }

  private static String deploymentStatus(Rest rest, String deploymentId) {
    return rest.get("/api/v1/deployments/" + deploymentId).json().get("status").stringValue();
  }

  private static byte[] randomBytes() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }
}
