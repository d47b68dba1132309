package dev.syntra.runtime.docker;

import static dev.syntra.runtime.docker.DockerAvailable.FAST_HEALTH;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_1;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_2;
import static dev.syntra.runtime.docker.DockerAvailable.PRIVATE_HTTPD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.RolloutOptions;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every operation of the adapter against the real daemon; services reached on 127.0.0.1 only. */
@ExtendWith(DockerAvailable.class)
class DockerRuntimeAdapterIT {
  @TempDir Path stateDir;
  @TempDir Path traefikDir;
  private String project;
  private ServiceRef service;
  private DockerRuntimeAdapter adapter;
  private DockerClient docker;
  private int port;

  @BeforeEach
  void setUp() {
    project = DockerAvailable.uniqueProject();
    service = new ServiceRef("k3x9a2", project, "web");
    port = DockerAvailable.freePort();
    docker = DockerAvailable.client();
    adapter = newAdapter(false);
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

  @Test
  void runtimeNameIsDocker() {
    assertThat(adapter.runtimeName()).isEqualTo("docker");
  }

  @Test
  void createsReplicasWithLabelsLimitsNetworkAliasesAndLoopbackPorts() {
    String id = DockerAvailable.deploymentId("v1");
    DeploySpec spec =
        spec(id, HTTPD_1)
            .replicas(1)
            .env("GREETING", "hello")
            .limits(new ResourceLimits(500, 64L * 1024 * 1024))
            .networkAlias("web-alias")
            .domain("shop.example.com")
            .build();

    List<DeployPhase> phases = new CopyOnWriteArrayList<>();
    DeployResult result = adapter.deploy(spec, (phase, message) -> phases.add(phase));

    assertThat(phases)
        .containsSubsequence(
            DeployPhase.PULLING,
            DeployPhase.CREATING,
            DeployPhase.STARTING,
            DeployPhase.HEALTH_CHECKING,
            DeployPhase.SWITCHING,
            DeployPhase.RUNNING);
    assertThat(result.deploymentId()).isEqualTo(id);
    String name = "syn-k3x9a2-" + project + "-web-" + id.substring(id.length() - 8) + "-0";
    InspectContainerResponse c = docker.inspectContainerCmd(name).exec();
    assertThat(c.getConfig().getLabels())
        .containsEntry("syntra.managed", "true")
        .containsEntry("syntra.project", project)
        .containsEntry("syntra.service", "web")
        .containsEntry("syntra.deployment", id)
        .containsEntry("syntra.replica", "0")
        .containsEntry("syntra.port", "8080")
        .containsEntry("syntra.role", "active")
        .containsEntry("traefik.enable", "true")
        .containsKey("syntra.image-digest");
    assertThat(c.getConfig().getEnv()).contains("GREETING=hello");
    assertThat(c.getHostConfig().getInit()).isTrue();
    assertThat(c.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
    assertThat(c.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(c.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
    // Confined by default: no-new-privileges, every capability dropped but the default add-back.
    assertThat(c.getHostConfig().getSecurityOpts()).containsExactly("no-new-privileges:true");
    assertThat(c.getHostConfig().getCapDrop()).extracting(Enum::name).containsExactly("ALL");
    assertThat(c.getHostConfig().getCapAdd())
        .extracting(Enum::name)
        .containsExactlyElementsOf(SecurityOptions.DEFAULT_CAPABILITIES);
    // The project's own network, which Traefik is told to use.
    String network = "syn-k3x9a2-" + project;
    assertThat(c.getHostConfig().getNetworkMode()).isEqualTo(network);
    // The agent on the host is reachable as host.docker.internal (OTEL_EXPORTER_OTLP_ENDPOINT).
    assertThat(c.getHostConfig().getExtraHosts())
        .containsExactly("host.docker.internal:host-gateway");
    assertThat(c.getConfig().getLabels()).containsEntry("traefik.docker.network", network);
    assertThat(c.getNetworkSettings().getNetworks()).containsOnlyKeys(network);
    ContainerNetwork net = c.getNetworkSettings().getNetworks().get(network);
    assertThat(net).isNotNull();
    assertThat(net.getAliases()).contains("web-alias", "web." + project + ".internal");
    Ports.Binding[] bindings =
        c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(8080));
    assertThat(bindings).hasSize(1);
    assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
    assertThat(bindings[0].getHostPortSpec()).isNotEqualTo(Integer.toString(port));
    assertThat(HttpLoad.version(port)).isEqualTo("1");
  }

  @Test
  void statusReportsEveryReplica() {
    String id = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(id, HTTPD_1).build());

    ServiceStatus status = adapter.status(service);

    assertThat(status.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(status.deploymentId()).isEqualTo(id);
    assertThat(status.desiredReplicas()).isEqualTo(2);
    assertThat(status.replicas())
        .hasSize(2)
        .allSatisfy(r -> {
          assertThat(r.state()).isEqualTo(ReplicaStatus.State.RUNNING);
          assertThat(r.health()).isEqualTo(ReplicaStatus.Health.HEALTHY);
          assertThat(r.restartCount()).isZero();
          assertThat(r.imageDigest()).startsWith("sha256:");
          assertThat(r.startedAt()).isNotNull();
          assertThat(r.deploymentId()).isEqualTo(id);
        });
    assertThat(adapter.status(new ServiceRef("k3x9a2", project, "nothing")).state())
        .isEqualTo(ServiceStatus.State.NOT_FOUND);
  }

  @ParameterizedTest
  @EnumSource(
      value = DeployStrategy.class,
      names = {"INSTANT", "ROLLING", "BLUE_GREEN"})
  void everyStrategyReplacesTheOldVersion(DeployStrategy strategy) {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    String v2 = DockerAvailable.deploymentId("v2");

    DeployResult result = adapter.deploy(spec(v2, HTTPD_2).strategy(strategy).replicas(3).build());

    assertThat(result.status().readyReplicas()).isEqualTo(3);
    assertThat(HttpLoad.version(port)).isEqualTo("2");
    assertThat(deploymentsOf(containers())).containsOnlyKeys(v2).containsEntry(v2, 3);
  }

  @Test
  void rollingWithoutSurgeRetiresBeforeStarting() {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    String v2 = DockerAvailable.deploymentId("v2");

    adapter.deploy(spec(v2, HTTPD_2).rollout(new RolloutOptions(0, 1, 10)).build());

    assertThat(HttpLoad.version(port)).isEqualTo("2");
    assertThat(deploymentsOf(containers())).containsOnlyKeys(v2);
  }

  @Test
  void scaleUpIsHealthGatedAndScaleDownKeepsServing() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).replicas(1).build());

    adapter.scale(service, 3);
    assertThat(adapter.status(service).readyReplicas()).isEqualTo(3);
    assertThat(containers()).hasSize(3);

    HttpLoad load = HttpLoad.start(port, 2);
    adapter.scale(service, 1);
    HttpLoad.Result seen = load.stopAfter(Duration.ofMillis(500));

    assertThat(seen.failed()).as(seen.failures().toString()).isZero();
    assertThat(containers()).hasSize(1);
    ServiceStatus status = adapter.status(service);
    assertThat(status.desiredReplicas()).isEqualTo(1);
    assertThat(status.state()).isEqualTo(ServiceStatus.State.RUNNING);

    adapter.scale(service, 0);
    assertThat(containers()).isEmpty();
    assertThat(adapter.status(service).state()).isEqualTo(ServiceStatus.State.STOPPED);
  }

  @Test
  void restartKeepsTheServiceAvailable() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    List<String> before = containers().stream().map(Container::getId).toList();

    HttpLoad load = HttpLoad.start(port, 2);
    adapter.restart(service);
    HttpLoad.Result seen = load.stopAfter(Duration.ofMillis(500));

    assertThat(seen.failed()).as(seen.failures().toString()).isZero();
    assertThat(containers())
        .extracting(Container::getId)
        .containsExactlyInAnyOrderElementsOf(before);
    assertThat(adapter.status(service).readyReplicas()).isEqualTo(2);
  }

  @Test
  void restartOfASingleReplicaReplacesItWithoutDowntime() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).replicas(1).build());
    String before = containers().get(0).getId();

    HttpLoad load = HttpLoad.start(port, 2);
    adapter.restart(service);
    HttpLoad.Result seen = load.stopAfter(Duration.ofMillis(500));

    assertThat(seen.failed()).as(seen.failures().toString()).isZero();
    assertThat(containers()).hasSize(1).extracting(Container::getId).doesNotContain(before);
  }

  @Test
  void stopRemovesEveryReplicaAndClosesThePort() {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());

    adapter.stop(service);

    assertThat(containers()).isEmpty();
    assertThat(adapter.status(service).state()).isEqualTo(ServiceStatus.State.NOT_FOUND);
    assertThatThrownBy(() -> HttpLoad.get(port, "/version")).isInstanceOf(ConnectException.class);
    adapter.stop(new ServiceRef("k3x9a2", project, "never-deployed"));
  }

  @Test
  void canaryTakesItsShareAndPromotionMakesItTheOnlyVersion() throws IOException {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).domain("shop.example.com").build());
    String v2 = DockerAvailable.deploymentId("v2");

    adapter.deploy(
        spec(v2, HTTPD_2)
            .domain("shop.example.com")
            .strategy(DeployStrategy.CANARY)
            .rollout(new RolloutOptions(1, 0, 25))
            .build());

    Map<String, Integer> versions = versions(200);
    assertThat(versions).containsEntry("1", 150).containsEntry("2", 50);
    // syn-<project>-<service>-<hash>.yml: the hash keeps look-alike names apart.
    Path file;
    try (var files = Files.list(traefikDir)) {
      file =
          files
              .filter(f ->
                  f.getFileName()
                      .toString()
                      .matches("syn-k3x9a2-" + project + "-web-[0-9a-f]{6}\\.yml"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no canary file in " + traefikDir));
    }
    assertThat(file).exists();
    assertThat(Files.readString(file)).contains("syn-k3x9a2-" + project + "-web-");
    assertThat(containers())
        .filteredOn(c -> "canary".equals(c.getLabels().get("syntra.role")))
        .hasSize(1);

    DeployResult promoted = adapter.promoteCanary(service);

    assertThat(promoted.deploymentId()).isEqualTo(v2);
    assertThat(versions(20)).containsOnlyKeys("2");
    assertThat(deploymentsOf(containers())).containsOnlyKeys(v2).containsEntry(v2, 2);
    assertThat(file).doesNotExist();
    assertThat(adapter.status(service).deploymentId()).isEqualTo(v2);
  }

  @Test
  void abortedCanaryIsRemovedAndTheStableVersionGetsAllTraffic() {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).build());
    adapter.deploy(
        spec(DockerAvailable.deploymentId("v2"), HTTPD_2).strategy(DeployStrategy.CANARY).build());
    assertThat(versions(20)).containsKeys("1", "2");

    DeployResult aborted = adapter.abortCanary(service);

    assertThat(aborted.deploymentId()).isEqualTo(v1);
    assertThat(versions(20)).containsOnlyKeys("1");
    assertThat(deploymentsOf(containers())).containsOnlyKeys(v1);
    assertThatThrownBy(() -> adapter.abortCanary(service))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("no canary");
  }

  @Test
  void rollbackRedeploysAnEarlierImageAndEnv() {
    String v1 = DockerAvailable.deploymentId("v1");
    adapter.deploy(spec(v1, HTTPD_1).env("RELEASE", "one").build());
    adapter.deploy(spec(DockerAvailable.deploymentId("v2"), HTTPD_2).env("RELEASE", "two").build());
    assertThat(HttpLoad.version(port)).isEqualTo("2");

    List<DeployPhase> phases = new CopyOnWriteArrayList<>();
    String v3 = DockerAvailable.deploymentId("v3");
    DeployResult result = adapter.rollback(service, v1, v3, (phase, message) -> phases.add(phase));

    assertThat(result.deploymentId()).isEqualTo(v3);
    assertThat(phases).last().isEqualTo(DeployPhase.RUNNING);
    assertThat(HttpLoad.version(port)).isEqualTo("1");
    InspectContainerResponse c = docker.inspectContainerCmd(containers().get(0).getId()).exec();
    assertThat(c.getConfig().getImage()).startsWith("127.0.0.1:5000/syntra-test/httpd@sha256:");
    assertThat(c.getConfig().getEnv()).contains("RELEASE=one");
    assertThatThrownBy(() -> adapter.rollback(service, "no-such-deployment", "v4", (p, m) -> {}))
        .isInstanceOf(RuntimeAdapterException.DeploymentNotFound.class);
    assertThatThrownBy(() -> adapter.rollback(service, v1, v3, (p, m) -> {}))
        .isInstanceOf(RuntimeAdapterException.Conflict.class);
  }

  @Test
  void privateRegistryImageIsPulledWithCredentials() {
    try {
      docker.removeImageCmd(PRIVATE_HTTPD).exec();
    } catch (NotFoundException e) {
      // Not pulled before: the deploy must pull it.
    }
    RegistryAuth auth = new RegistryAuth("127.0.0.1:5001", "syntra", "registry-pass");

    adapter.deploy(
        spec(DockerAvailable.deploymentId("v1"), PRIVATE_HTTPD).registryAuth(auth).build());

    assertThat(HttpLoad.version(port)).isEqualTo("1");
  }

  @Test
  void execLogsMetricsAndEventsReachTheReplicas() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    HttpLoad.get(port, "/version");

    ExecResult exec = adapter.exec(service, List.of("cat", "/www/version"), ExecOptions.DEFAULTS);
    assertThat(exec.exitCode()).isZero();
    assertThat(exec.stdout()).isEqualTo("1\n");
    // Docker resolved host-gateway to the bridge gateway's address in the replica's hosts file.
    ExecResult hosts = adapter.exec(service, List.of("cat", "/etc/hosts"), ExecOptions.DEFAULTS);
    assertThat(hosts.stdout())
        .containsPattern("(?m)^\\d+\\.\\d+\\.\\d+\\.\\d+\\s+host\\.docker\\.internal$");

    List<LogLine> lines = new CopyOnWriteArrayList<>();
    try (LogSubscription logs =
        adapter.logs(service, new LogOptions(false, null, 100, true, true), lines::add)) {
      assertThat(logs.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(lines)
        .allSatisfy(l -> assertThat(l.replicaId()).startsWith("syn-k3x9a2-" + project));

    List<ContainerMetrics> metrics = adapter.metrics(service);
    assertThat(metrics).hasSize(2).allSatisfy(m -> assertThat(m.pids()).isPositive());

    try (AutoCloseable events = adapter.watchEvents(e -> {})) {
      assertThat(events).isNotNull();
    }
    assertThatThrownBy(() ->
            adapter.exec(
                new ServiceRef("k3x9a2", project, "nothing"),
                List.of("true"),
                ExecOptions.DEFAULTS))
        .isInstanceOf(RuntimeAdapterException.ServiceNotFound.class);
  }

  @Test
  void aNewAdapterServesThePublishedPortOfRunningServicesAgain() {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    adapter.close();
    assertThat(HttpLoad.version(port)).startsWith("failed");

    adapter = newAdapter(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> HttpLoad.version(port).equals("1"));
    String v2 = DockerAvailable.deploymentId("v2");
    adapter.deploy(spec(v2, HTTPD_2).build());
    assertThat(HttpLoad.version(port)).isEqualTo("2");
    assertThat(deploymentsOf(containers())).containsOnlyKeys(v2);
  }

  @Test
  void operationsOnOneServiceAreSerialised() throws Exception {
    adapter.deploy(spec(DockerAvailable.deploymentId("v1"), HTTPD_1).build());
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = DockerAvailable.deploymentId("p" + i);
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  adapter.deploy(spec(id, HTTPD_2).build());
                } catch (Throwable t) {
                  errors.add(t);
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    assertThat(deploymentsOf(containers())).hasSize(1).containsValue(2);
    assertThat(adapter.status(service).state()).isEqualTo(ServiceStatus.State.RUNNING);
  }

  private DockerRuntimeAdapter newAdapter(boolean recover) {
    return DockerRuntimeAdapter.builder()
        .stateDir(stateDir)
        .traefikDynamicConfigDir(traefikDir)
        .traefikReloadDelay(Duration.ofMillis(100))
        .drainTimeout(Duration.ofSeconds(5))
        .recoverOnStart(recover)
        .build();
  }

  private DeploySpec.Builder spec(String deploymentId, String image) {
    return DeploySpec.builder(deploymentId, service, image)
        .replicas(2)
        .port(PortMapping.tcp(8080, HostBinding.loopback(port)))
        .healthCheck(FAST_HEALTH)
        .strategy(DeployStrategy.ROLLING);
  }

  private List<Container> containers() {
    return DockerAvailable.containersOf(docker, project);
  }

  private static Map<String, Integer> deploymentsOf(List<Container> containers) {
    Map<String, Integer> out = new TreeMap<>();
    containers.forEach(c -> out.merge(c.getLabels().get("syntra.deployment"), 1, Integer::sum));
    return out;
  }

  private Map<String, Integer> versions(int requests) {
    Map<String, Integer> out = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      out.merge(HttpLoad.version(port), 1, Integer::sum);
    }
    return out;
  }
}
