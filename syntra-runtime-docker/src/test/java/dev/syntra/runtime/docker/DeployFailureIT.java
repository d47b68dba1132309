package dev.syntra.runtime.docker;

import static dev.syntra.runtime.docker.DockerAvailable.CRASH;
import static dev.syntra.runtime.docker.DockerAvailable.FAST_HEALTH;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_1;
import static dev.syntra.runtime.docker.DockerAvailable.PRIVATE_HTTPD;
import static dev.syntra.runtime.docker.DockerAvailable.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deploys that fail: each gives a typed error with a clear message, the previous version (if any)
 * keeps answering on its published port, and no container of the failed deployment remains (the
 * test lists containers by the {@code syntra.project} label).
 */
@ExtendWith(DockerAvailable.class)
class DeployFailureIT {
  @TempDir Path stateDir;
  private String project;
  private ServiceRef service;
  private DockerRuntimeAdapter adapter;
  private DockerClient docker;
  private int port;
  private final List<DeployPhase> phases = new CopyOnWriteArrayList<>();
  private final DeployListener recorder = (phase, message) -> phases.add(phase);

  @BeforeEach
  void setUp() {
    project = DockerAvailable.uniqueProject();
    service = new ServiceRef("k3x9a2", project, "web");
    port = DockerAvailable.freePort();
    docker = DockerAvailable.client();
    adapter =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .drainTimeout(Duration.ofSeconds(5))
            .recoverOnStart(false)
            .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    try {
      adapter.stop(service);
      adapter.close();
    } finally {
      DockerAvailable.removeProject(project);
      docker.close();
    }
  }

  @ParameterizedTest
  @EnumSource(DeployStrategy.class)
  void failingHealthCheckRollsBackAndTheOldVersionStillAnswers(DeployStrategy strategy) {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).build());
    String bad = DockerAvailable.deploymentId("bad");

    assertThatThrownBy(
            () -> adapter.deploy(spec(bad, UNHEALTHY).strategy(strategy).build(), recorder))
        .isInstanceOf(RuntimeAdapterException.HealthCheckFailed.class)
        .hasMessageContaining("did not become healthy")
        .hasMessageContaining("GET /health answered 404");

    assertThat(phases).last().isEqualTo(DeployPhase.ROLLED_BACK);
    assertThat(HttpLoad.version(port)).isEqualTo("1");
    assertOnlyDeployment(v1, 2);
    ServiceStatus status = adapter.status(service);
    assertThat(status.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(status.deploymentId()).isEqualTo(v1);
  }

  @Test
  void crashingReplicaIsDetectedAndRolledBack() {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).build());
    HealthCheck patient =
        new HealthCheck(
            HealthCheck.Type.HTTP,
            "/health",
            8080,
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            20,
            Duration.ZERO);
    String crash = DockerAvailable.deploymentId("crash");

    assertThatThrownBy(
            () -> adapter.deploy(spec(crash, CRASH).healthCheck(patient).build(), recorder))
        .isInstanceOf(RuntimeAdapterException.HealthCheckFailed.class)
        .hasMessageContaining("exited");

    assertThat(phases).last().isEqualTo(DeployPhase.ROLLED_BACK);
    assertThat(HttpLoad.version(port)).isEqualTo("1");
    assertOnlyDeployment(v1, 2);
  }

  @Test
  void crashWithoutHealthCheckIsDetectedWithinTheGracePeriod() throws IOException {
    try (DockerRuntimeAdapter patient =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .noHealthCheckGrace(Duration.ofSeconds(3))
            .recoverOnStart(false)
            .build()) {
      String crash = DockerAvailable.deploymentId("crash");
      assertThatThrownBy(() -> patient.deploy(spec(crash, CRASH).healthCheck(null).build()))
          .isInstanceOf(RuntimeAdapterException.HealthCheckFailed.class)
          .hasMessageContaining("exited");
    }
    assertNoContainers();
  }

  @Test
  void redeployingTheServingDeploymentIsConflictAndKeepsItServing() {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).build());

    assertThatThrownBy(() -> adapter.deploy(spec(v1, HTTPD_1).build(), recorder))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("already running");

    assertThat(phases).containsExactly(DeployPhase.FAILED);
    assertThat(HttpLoad.version(port)).isEqualTo("1");
    assertOnlyDeployment(v1, 2);
  }

  @Test
  void invalidImageReferenceIsInvalidSpec() {
    String image = "127.0.0.1:5000/syntra-test/httpd@sha256:" + "z".repeat(64);

    assertThatThrownBy(() -> adapter.deploy(spec("v1", image).build(), recorder))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class)
        .hasMessageContaining("digest");

    assertThat(phases).containsExactly(DeployPhase.FAILED);
    assertNoContainers();
  }

  @Test
  void missingImageIsImageNotFound() {
    String image = "127.0.0.1:5000/syntra-test/httpd:no-such-tag";

    assertThatThrownBy(() -> adapter.deploy(spec("v1", image).build(), recorder))
        .isInstanceOf(RuntimeAdapterException.ImageNotFound.class)
        .hasMessageContaining(image);

    assertThat(phases).containsExactly(DeployPhase.PULLING, DeployPhase.FAILED);
    assertNoContainers();
  }

  @Test
  void privateImageWithoutOrWithWrongCredentialsFailsToPull() {
    assertThatThrownBy(() -> adapter.deploy(spec("v1", PRIVATE_HTTPD).build()))
        .isInstanceOf(RuntimeAdapterException.ImagePullFailed.class)
        .hasMessageContaining("requires credentials");
    RegistryAuth wrong = new RegistryAuth("127.0.0.1:5001", "syntra", "wrong-password");
    assertThatThrownBy(() -> adapter.deploy(spec("v1", PRIVATE_HTTPD).registryAuth(wrong).build()))
        .isInstanceOf(RuntimeAdapterException.ImagePullFailed.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageNotContaining("wrong-password");
    assertNoContainers();
  }

  @Test
  void hostPortAlreadyTakenIsConflict() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

      assertThatThrownBy(() -> adapter.deploy(spec("v1", HTTPD_1).build(), recorder))
          .isInstanceOf(RuntimeAdapterException.Conflict.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("already in use");
    }
    assertThat(phases).last().isEqualTo(DeployPhase.FAILED);
    assertNoContainers();
  }

  @Test
  void unreachableDaemonIsUnavailable() {
    URI missingSocket = URI.create("unix://" + stateDir.resolve("no-such-docker.sock"));
    URI refusingPort = URI.create("tcp://127.0.0.1:" + DockerAvailable.freePort());
    for (URI host : List.of(missingSocket, refusingPort)) {
      try (DockerRuntimeAdapter down =
          DockerRuntimeAdapter.builder().dockerHost(host).stateDir(stateDir).build()) {
        phases.clear();
        assertThatThrownBy(() -> down.deploy(spec("v1", HTTPD_1).build(), recorder))
            .isInstanceOf(RuntimeAdapterException.Unavailable.class)
            .hasMessageContaining(host.toString())
            .hasMessageContaining("cannot be reached")
            .satisfies(e ->
                assertThat(((RuntimeAdapterException) e).code())
                    .isEqualTo(RuntimeErrorCode.RUNTIME_UNAVAILABLE));
        assertThat(phases).containsExactly(DeployPhase.FAILED);
      }
    }
    assertNoContainers();
  }

  @Test
  void daemonGoingAwayMidDeployIsUnavailableAndLeavesNoContainer() throws Exception {
    try (DaemonForwarder daemon = new DaemonForwarder();
        DockerRuntimeAdapter viaForwarder =
            DockerRuntimeAdapter.builder()
                .dockerHost(daemon.uri())
                .stateDir(stateDir)
                .recoverOnStart(false)
                .build()) {
      DeployListener killDaemonWhenCreating =
          (phase, message) -> {
            phases.add(phase);
            if (phase == DeployPhase.CREATING) {
              try {
                daemon.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          };

      assertThatThrownBy(
              () -> viaForwarder.deploy(spec("v1", HTTPD_1).build(), killDaemonWhenCreating))
          .isInstanceOf(RuntimeAdapterException.Unavailable.class)
          .hasMessageContaining("cannot be reached");

      assertThat(phases).containsSubsequence(DeployPhase.PULLING, DeployPhase.CREATING);
      assertThat(phases).last().isEqualTo(DeployPhase.FAILED);
    }
    assertNoContainers();
  }

  private DeploySpec.Builder spec(String deploymentId, String image) {
    return DeploySpec.builder(deploymentId, service, image)
        .replicas(2)
        .port(PortMapping.tcp(8080, HostBinding.loopback(port)))
        .healthCheck(FAST_HEALTH)
        .strategy(DeployStrategy.ROLLING);
  }

  private void assertNoContainers() {
    assertThat(DockerAvailable.containersOf(docker, project)).isEmpty();
  }

  private void assertOnlyDeployment(String deploymentId, int replicas) {
    List<Container> containers = DockerAvailable.containersOf(docker, project);
    assertThat(containers)
        .hasSize(replicas)
        .allSatisfy(c -> {
          assertThat(c.getLabels()).containsEntry("syntra.deployment", deploymentId);
          assertThat(c.getState()).isEqualTo("running");
        });
  }
}
