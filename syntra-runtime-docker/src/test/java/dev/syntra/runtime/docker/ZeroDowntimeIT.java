package dev.syntra.runtime.docker;

import static dev.syntra.runtime.docker.DockerAvailable.FAST_HEALTH;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_1;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test: while a rolling update (httpd:1 → httpd:2) and then a blue-green
 * update (back to httpd:1) run, a bounded loop of HTTP requests through the 127.0.0.1-published
 * port sees zero failures, and {@code /version} switches.
 */
@ExtendWith(DockerAvailable.class)
class ZeroDowntimeIT {
  private static final int CLIENTS = 4;

  @TempDir Path stateDir;
  private String project;
  private ServiceRef service;
  private DockerRuntimeAdapter adapter;
  private int port;

  @BeforeEach
  void setUp() {
    project = DockerAvailable.uniqueProject();
    service = new ServiceRef("k3x9a2", project, "web");
    port = DockerAvailable.freePort();
    adapter =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .drainTimeout(Duration.ofSeconds(10))
            .recoverOnStart(false)
            .build();
  }

  @AfterEach
  void tearDown() {
    try {
      adapter.stop(service);
    } finally {
      adapter.close();
      DockerAvailable.removeProject(project);
    }
  }

  @Test
  void rollingThenBlueGreenUpdatesDropNoRequest() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1, DeployStrategy.ROLLING));
    assertThat(HttpLoad.version(port)).isEqualTo("1");

    HttpLoad.Result rolling =
        updateUnderLoad(DockerAvailable.deploymentId("v2"), HTTPD_2, DeployStrategy.ROLLING);
    System.out.println("ROLLING update 1 -> 2: " + rolling);
    assertThat(rolling.failures()).isEmpty();
    assertThat(rolling.failed()).isZero();
    assertThat(rolling.versions()).containsKeys("1", "2");
    assertThat(HttpLoad.version(port)).isEqualTo("2");

    HttpLoad.Result blueGreen =
        updateUnderLoad(DockerAvailable.deploymentId("v3"), HTTPD_1, DeployStrategy.BLUE_GREEN);
    System.out.println("BLUE_GREEN update 2 -> 1: " + blueGreen);
    assertThat(blueGreen.failures()).isEmpty();
    assertThat(blueGreen.failed()).isZero();
    assertThat(blueGreen.versions()).containsKeys("1", "2");
    assertThat(HttpLoad.version(port)).isEqualTo("1");

    long sent = rolling.sent() + blueGreen.sent();
    long failed = rolling.failed() + blueGreen.failed();
    System.out.println("requests sent: " + sent + ", failed: " + failed);
    assertThat(sent).isGreaterThan(100);
  }

  private HttpLoad.Result updateUnderLoad(
      String deploymentId, String image, DeployStrategy strategy) throws InterruptedException {
    HttpLoad load = HttpLoad.start(port, CLIENTS);
    DeployResult result;
    try {
      result = adapter.deploy(spec(deploymentId, image, strategy));
    } catch (RuntimeException e) {
      load.close();
      throw e;
    }
    HttpLoad.Result seen = load.stopAfter(Duration.ofSeconds(1));
    assertThat(result.deploymentId()).isEqualTo(deploymentId);
    assertThat(result.status().state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(result.status().readyReplicas()).isEqualTo(2);
    try (var docker = DockerAvailable.client()) {
      assertThat(DockerAvailable.containersOf(docker, project))
          .as("only the new deployment's containers remain")
          .hasSize(2)
          .allSatisfy(
              c -> assertThat(c.getLabels()).containsEntry("syntra.deployment", deploymentId));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return seen;
  }

  private DeploySpec spec(String deploymentId, String image, DeployStrategy strategy) {
    return DeploySpec.builder(deploymentId, service, image)
        .replicas(2)
        .port(PortMapping.tcp(8080, HostBinding.loopback(port)))
        .healthCheck(FAST_HEALTH)
        .strategy(strategy)
        .build();
  }
}
