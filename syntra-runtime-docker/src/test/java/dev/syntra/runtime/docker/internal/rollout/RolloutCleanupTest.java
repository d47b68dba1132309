package dev.syntra.runtime.docker.internal.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import java.lang.reflect.Proxy;
import java.time.Clock;
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
  private final DockerContext ctx = context(failingDocker(commands));

  @Test
  void finishRecordsTheNewVersionEvenWhenOldContainersCannotBeRemoved() {
    ManagedService ms = new ManagedService(WEB, ctx);
    DeploySpec spec =
        DeploySpec.builder("dep-0002", WEB, "registry.example.com/shop/web:2").build();
    List<Replica> old = List.of(replica("dep-0001", 0), replica("dep-0001", 1));
    Rollout rollout =
        new Rollout(
            ctx, ms, spec, "sha256:digest", new Progress(WEB, "dep-0002", (p, m) -> {}), old);

    rollout.finish(false);

    assertThat(ms.stableId()).isEqualTo("dep-0002");
    assertThat(ms.canarySpec()).isNull();
    assertThat(commands).containsExactly("removeContainerCmd", "removeContainerCmd");
  }

  @Test
  void retireQuietlyTriesEveryReplicaAndNeverThrows() {
    ManagedService ms = new ManagedService(WEB, ctx);
    List<Replica> old = List.of(replica("dep-0001", 0), replica("dep-0001", 1));
    ms.traffic().route(old);

    ms.retireQuietly(old, true);

    assertThat(ms.traffic().stable()).isEmpty();
    assertThat(commands).containsExactly("stopContainerCmd", "stopContainerCmd");
  }

  private static DockerContext context(DockerClient docker) {
    return new DockerContext(
        docker,
        "fake",
        Clock.systemUTC(),
        d -> {},
        new ReplicaFactory(docker, "fake"),
        null,
        null,
        null,
        null,
        null,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Duration.ZERO,
        8,
        Duration.ofSeconds(1));
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
