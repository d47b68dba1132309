package dev.syntra.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The reference control plane as its own process, started from the server's executable jar (the one
 * {@code scripts/run.sh} runs) with its embedded PostgreSQL in {@code dataDir}, on fixed loopback
 * ports, so a test can kill it ({@code SIGKILL}) and start it again on the same data, ports and hub
 * CA.
 */
final class ControlPlane implements AutoCloseable {
  static final String ADMIN_TOKEN = "syn_pat_EndToEndBootstrapToken0123456789abcXY";

  private final Map<String, String> environment = new LinkedHashMap<>();
  private final int httpPort;
  private final int hubPort;
  private final Path dataDir;
  private @Nullable Process process;

  ControlPlane(Path dataDir) {
    this.dataDir = dataDir;
    this.httpPort = freePort();
    this.hubPort = freePort();
    environment.put("SYNTRA_HTTP_PORT", String.valueOf(httpPort));
    environment.put("SYNTRA_DATA_DIR", dataDir.toString());
    environment.put("SYNTRA_PUBLIC_URL", "http://127.0.0.1:" + httpPort);
    environment.put("SYNTRA_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
    environment.put("SYNTRA_HUB_BIND", "127.0.0.1");
    environment.put("SYNTRA_HUB_PORT", String.valueOf(hubPort));
    environment.put("SYNTRA_AGENT_HEARTBEAT_INTERVAL", "1s");
    environment.put("SYNTRA_AGENT_OFFLINE_AFTER", "5s");
    environment.put("SYNTRA_RATE_LIMIT_FREE", "1000000");
    environment.put("SYNTRA_WEBHOOK_DELIVERY", "false");
  }

  /** Sets (or replaces) one variable of the server's environment; takes effect at start. */
  ControlPlane with(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Starts the server and waits until its API answers (at most 2 minutes). */
  ControlPlane start() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("syntra.server.jar", "missing-syntra.server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the server's executable jar " + jar + " is missing: run `mvn package` first");
    }
    Path logs = Files.createDirectories(Path.of("target", "server-logs"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xmx512m", "-jar", jar.toString()));
    command.add("--server.address=127.0.0.1");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("server-" + System.currentTimeMillis() + ".log").toFile());
    builder.environment().putAll(environment);
    process = builder.start();
    awaitApi();
    return this;
  }

  private void awaitApi() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/openapi.json"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("the control plane exited; see target/server-logs");
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the control plane did not start within 2 minutes");
  }

  /** SIGKILL: no shutdown hook runs; agent links drop, its embedded PostgreSQL is orphaned. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** The data directory (embedded PostgreSQL, hub CA, master key). */
  Path dataDir() {
    return dataDir;
  }

  Rest rest() {
    return new Rest(base(), ADMIN_TOKEN);
  }

  String hubUrl() {
    return "wss://127.0.0.1:" + hubPort + "/agent/v1";
  }

  private String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** A clean stop (SIGTERM, graceful shutdown). */
  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
      process = null;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
