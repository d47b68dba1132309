package dev.syntra.runtime.docker.internal.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.replica.ProjectNetworks;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traffic.ProxySettings;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Cleanup after the switch to a new version is best-effort: a daemon that fails to stop or remove
 * the old containers must not undo the deploy. The daemon is a stand-in whose commands all fail
 * with HTTP 500 (a failure that is hard to provoke on a real daemon).
 */
class RolloutCleanupTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final DockerClient docker = failingDocker(commands);

  @Test
  void finishRecordsTheNewVersionEvenWhenOldContainersCannotBeRemoved() {
    ManagedService ms = managed(docker);
    DeploySpec spec =
        DeploySpec.builder("dep-0002", WEB, "registry.example.com/shop/web:2").build();
    List<Replica> old = List.of(replica("dep-0001", 0), replica("dep-0001", 1));
    RolloutAttempt rollout = attempt(docker, ms, spec, old);

    rollout.finish(false);

    assertThat(ms.stableId()).isEqualTo("dep-0002");
    assertThat(ms.canarySpec()).isNull();
    assertThat(commands).containsExactly("removeContainerCmd", "removeContainerCmd");
  }

  @Test
  void retireQuietlyTriesEveryReplicaAndNeverThrows() {
    ManagedService ms = managed(docker);
    List<Replica> old = List.of(replica("dep-0001", 0), replica("dep-0001", 1));
    ms.traffic().route(old);

    ms.retireQuietly(old, true);

    assertThat(ms.traffic().stable()).isEmpty();
    assertThat(commands).containsExactly("stopContainerCmd", "stopContainerCmd");
  }

  private static ManagedService managed(DockerClient docker) {
    ReplicaFactory factory =
        new ReplicaFactory(
            docker, "fake", Duration.ofSeconds(1), new ProjectNetworks(docker, "fake", null));
    return new ManagedService(
        WEB,
        new ServiceState(docker, "fake", null),
        new DeployHistory(Path.of("target", "unused-history")),
        factory,
        new ProxySettings(8, Duration.ofSeconds(1), Duration.ofMillis(100)));
  }

  private static RolloutAttempt attempt(
      DockerClient docker, ManagedService ms, DeploySpec spec, List<Replica> old) {
    return new RolloutAttempt(
        new ReplicaFactory(
            docker, "fake", Duration.ofSeconds(1), new ProjectNetworks(docker, "fake", null)),
        null,
        null,
        ms,
        spec,
        "sha256:digest",
        new Progress(WEB, spec.deploymentId(), (p, m) -> {}),
        old);
  }

  /** A client whose every command fails on {@code exec()} with HTTP 500; records command names. */
  private static DockerClient failingDocker(List<String> commands) {
    return (DockerClient)
        Proxy.newProxyInstance(
            DockerClient.class.getClassLoader(),
            new Class<?>[] {DockerClient.class},
            (client, method, args) -> {
              commands.add(method.getName());
              return failingCommand(method.getReturnType());
            });
  }

  private static Object failingCommand(Class<?> type) {
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        (cmd, method, args) -> {
          if (method.getName().equals("exec")) {
            throw new InternalServerErrorException("daemon error");
          }
          return method.getReturnType().isInstance(cmd) ? cmd : null;
        });
  }

  private static Replica replica(String deployment, int index) {
    return new Replica(
        deployment + "-" + index,
        "syn-shop-web-" + deployment + "-" + index,
        WEB,
        deployment,
        index,
        ReplicaFactory.ROLE_ACTIVE,
        false,
        Map.of(8080, 30000 + index),
        Map.of("127.0.0.1:18080", 8080),
        "sha256:" + "a".repeat(64),
        0);
  }
}
