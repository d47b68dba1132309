package dev.syntra.server;

import dev.syntra.server.db.Tenancy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the server's integration tests: one real server on a random port over a real embedded
 * PostgreSQL (in a fresh temporary data dir per test JVM), shared by every test class through
 * Spring's context cache. Tests isolate themselves by creating their own organizations.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SYNTRA_BOOTSTRAP_TOKEN=" + ServerTestSupport.BOOTSTRAP_TOKEN,
      "SYNTRA_RATE_LIMIT_FREE=1000000",
      "SYNTRA_RATE_LIMIT_PRO=5",
      "SYNTRA_METRICS_TOKEN=" + ServerTestSupport.METRICS_TOKEN,
      // Webhooks here point at public documentation addresses: never send them anywhere.
      // WebhookDeliveryTest runs its own context delivering to a receiver on 127.0.0.1.
      "SYNTRA_WEBHOOK_DELIVERY=false",
      // The agent hub on a free loopback port, with short liveness times for the hub tests.
      "SYNTRA_HUB_PORT=0",
      "SYNTRA_HUB_BIND=127.0.0.1",
      "SYNTRA_AGENT_HEARTBEAT_INTERVAL=1s",
      "SYNTRA_AGENT_OFFLINE_AFTER=3s",
      // Every test talks from 127.0.0.1: per-address flood limits are tested in FloodTestSupport.
      "SYNTRA_RATE_LIMIT_UNAUTHENTICATED=1000000",
      "SYNTRA_HUB_HELLO_FAILURES_PER_MINUTE=1000000",
      // A small per-agent telemetry queue, so TelemetryFramesTest can fill it.
      "SYNTRA_TELEMETRY_INGEST_AGENT_FRAMES=4",
    })
public abstract class ServerTestSupport {
  public static final String METRICS_TOKEN = "metrics-secret-for-tests";
  public static final String BOOTSTRAP_TOKEN = "syn_pat_TestBootstrapToken0123456789abcdefXYZ";

  static {
    try {
      System.setProperty(
          "SYNTRA_DATA_DIR", Files.createTempDirectory("syntra-test-data").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort protected int port;
  @Autowired protected Tenancy tenancy;

  protected Api api;
  protected Tenants tenants;

  @BeforeEach
  void setUpClients() {
    api = new Api("http://127.0.0.1:" + port);
    tenants = new Tenants(tenancy);
  }
}
