package dev.syntra.runtime.docker;

import static dev.syntra.runtime.docker.DockerAvailable.FAST_HEALTH;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Network;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two organizations (and two projects) on one daemon: equal project and service slugs and even
 * equal deployment ids never make one organization's operations touch the other's containers, and
 * the network per project keeps other projects from resolving or reaching a project's replicas.
 */
@ExtendWith(DockerAvailable.class)
class OrganizationIsolationIT {
  private static final String DEPLOYMENT = "dep-0001";

  @TempDir Path stateDir;
  private String project;
  private String otherProject;
  private ServiceRef aWeb;
  private ServiceRef aApi;
  private ServiceRef bWeb;
  private ServiceRef aOther;
  private DockerRuntimeAdapter adapter;
  private DockerClient docker;

  @BeforeEach
  void setUp() {
    project = DockerAvailable.uniqueProject();
    otherProject = DockerAvailable.uniqueProject();
    aWeb = new ServiceRef("orga", project, "web");
    aApi = new ServiceRef("orga", project, "api");
    bWeb = new ServiceRef("orgb", project, "web");
    aOther = new ServiceRef("orga", otherProject, "web");
    docker = DockerAvailable.client();
    adapter =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .recoverOnStart(false)
            .drainTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    try {
      adapter.close();
    } finally {
      DockerAvailable.removeProject(project);
      DockerAvailable.removeProject(otherProject);
      docker.close();
    }
  }

  @Test
  void equalSlugsInTwoOrganizationsNeverTouchEachOther() {
    deploy(aWeb);
    deploy(bWeb);

    ServiceStatus a = adapter.status(aWeb);
    ServiceStatus b = adapter.status(bWeb);
    assertThat(a.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(b.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(a.replicas()).extracting(ReplicaStatus::id).allMatch(n -> n.startsWith("syn-orga-"));
    assertThat(b.replicas()).extracting(ReplicaStatus::id).allMatch(n -> n.startsWith("syn-orgb-"));

    adapter.stop(aWeb);

    assertThat(adapter.status(aWeb).state()).isEqualTo(ServiceStatus.State.NOT_FOUND);
    assertThatThrownBy(() -> adapter.logs(aWeb, LogOptions.RECENT, line -> {}).close())
        .isInstanceOf(RuntimeAdapterException.ServiceNotFound.class);
    assertThat(adapter.status(bWeb).state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(httpGet(bWeb, "127.0.0.1").exitCode()).isZero();
    // The organization's project network went with its last service; the other one's stays.
    assertThat(networkNames())
        .doesNotContain("syn-orga-" + project)
        .contains("syn-orgb-" + project);
  }

  @Test
  void replicasConfinedAndReachableOnlyInsideTheirProject() {
    deploy(aWeb);
    deploy(aApi);
    deploy(bWeb);
    deploy(aOther);
    String aWebName = adapter.status(aWeb).replicas().get(0).id();

    InspectContainerResponse c = docker.inspectContainerCmd(aWebName).exec();
    assertThat(c.getHostConfig().getSecurityOpts()).contains("no-new-privileges:true");
    assertThat(c.getHostConfig().getCapDrop()).extracting(Enum::name).containsExactly("ALL");
    assertThat(c.getNetworkSettings().getNetworks()).containsOnlyKeys("syn-orga-" + project);

    String alias = "web." + project + ".internal";
    assertThat(httpGet(aApi, alias).exitCode()).isZero();
    assertThat(httpGet(aApi, aWebName).exitCode()).isZero();
    // Another organization's container with the same slugs cannot resolve it by name.
    assertThat(exec(bWeb, "nslookup", aWebName).exitCode()).isNotZero();
    assertThat(httpGet(bWeb, aWebName).exitCode()).isNotZero();
    // Another project of the same organization resolves neither the alias nor the name.
    assertThat(exec(aOther, "nslookup", "web." + project + ".internal").exitCode()).isNotZero();
    assertThat(httpGet(aOther, alias).exitCode()).isNotZero();

    adapter.stop(aWeb);
    assertThat(networkNames()).contains("syn-orga-" + project);
    adapter.stop(aApi);
    assertThat(networkNames()).doesNotContain("syn-orga-" + project);
    adapter.stop(bWeb);
    adapter.stop(aOther);
  }

  @Test
  void theTraefikContainerIsAttachedToEveryProjectNetworkAndReachesTheReplicas()
      throws IOException {
    // A stand-in for Traefik (no Traefik image here): a plain container the adapter must attach.
    String traefik = "syn-test-traefik-" + project;
    docker
        .createContainerCmd(HTTPD_1)
        .withName(traefik)
        .withLabels(java.util.Map.of("syntra.project", project))
        .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withInit(true))
        .exec();
    docker.startContainerCmd(traefik).exec();
    adapter.close();
    adapter =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .recoverOnStart(false)
            .traefikContainer(traefik)
            .drainTimeout(Duration.ofSeconds(2))
            .build();
    try {
      deploy(aWeb);
      deploy(bWeb);
      String aName = adapter.status(aWeb).replicas().get(0).id();
      String bName = adapter.status(bWeb).replicas().get(0).id();

      assertThat(docker.inspectContainerCmd(traefik).exec().getNetworkSettings().getNetworks())
          .containsKeys("syn-orga-" + project, "syn-orgb-" + project);
      // Traefik resolves and reaches the replicas of both projects by container name.
      for (String replica : List.of(aName, bName)) {
        assertThat(execIn(traefik, httpGetCommand(replica))).isZero();
      }
      assertThat(adapter.status(aWeb).state()).isEqualTo(ServiceStatus.State.RUNNING);

      adapter.stop(aWeb);

      // The network goes although Traefik was attached to it.
      assertThat(networkNames()).doesNotContain("syn-orga-" + project);
      assertThat(docker.inspectContainerCmd(traefik).exec().getNetworkSettings().getNetworks())
          .containsKey("syn-orgb-" + project)
          .doesNotContainKey("syn-orga-" + project);
    } finally {
      docker.removeContainerCmd(traefik).withForce(true).exec();
    }
  }

  private void deploy(ServiceRef service) {
    DeploySpec spec =
        DeploySpec.builder(DEPLOYMENT, service, HTTPD_1)
            .replicas(1)
            .port(PortMapping.tcp(8080))
            .healthCheck(FAST_HEALTH)
            .strategy(DeployStrategy.ROLLING)
            .build();
    adapter.deploy(spec, DeployListener.NOOP);
  }

  /**
   * GET / of {@code host}:8080 from inside a replica of {@code service}, with busybox {@code nc}
   * (the test image's {@code wget} crashes): exit code 0 only for a 200 answer.
   */
  private ExecResult httpGet(ServiceRef service, String host) {
    return exec(service, httpGetCommand(host));
  }

  private static String[] httpGetCommand(String host) {
    return new String[] {
      "sh",
      "-c",
      "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + host + " 8080 | grep -q '200 OK'"
    };
  }

  /** Runs {@code command} in a container that is not a replica; its exit code. */
  private long execIn(String container, String... command) {
    String exec =
        docker
            .execCreateCmd(container)
            .withCmd(command)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !Boolean.TRUE.equals(docker.inspectExecCmd(exec).exec().isRunning()));
    Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return code == null ? -1 : code;
  }

  private ExecResult exec(ServiceRef service, String... command) {
    return adapter.exec(
        service, List.of(command), new ExecOptions(Duration.ofSeconds(10), 1 << 16, null));
  }

  private List<String> networkNames() {
    return docker.listNetworksCmd().exec().stream().map(Network::getName).toList();
  }
}
