package dev.syntra.runtime.docker.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.replica.Replica;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deciding stable and canary deployments from labels, and the publish label codec. */
class ServiceStateTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  @Test
  void deploymentWithMostRunningReplicasIsStable() {
    List<Replica> all =
        List.of(
            replica("old", 0, "active", false, 10),
            replica("new", 0, "active", true, 20),
            replica("new", 1, "active", true, 20));

    ServiceState.Split split = ServiceState.split(all, null, null);

    assertThat(split.stable()).isEqualTo("new");
    assertThat(split.canary()).isNull();
    assertThat(split.others()).containsExactly("old");
  }

  @Test
  void deploymentOfOnlyCanaryReplicasNextToAnotherIsTheCanary() {
    List<Replica> all =
        List.of(
            replica("v1", 0, "active", true, 10),
            replica("v1", 1, "active", true, 10),
            replica("v2", 0, "canary", true, 20));

    ServiceState.Split split = ServiceState.split(all, null, null);

    assertThat(split.stable()).isEqualTo("v1");
    assertThat(split.canary()).isEqualTo("v2");
  }

  @Test
  void promotedCanaryAloneIsStable() {
    List<Replica> all =
        List.of(replica("v2", 0, "canary", true, 20), replica("v2", 1, "active", true, 30));

    assertThat(ServiceState.split(all, null, null).stable()).isEqualTo("v2");
  }

  @Test
  void hintsWinWhenTheirContainersExist() {
    List<Replica> all =
        List.of(replica("a", 0, "active", true, 10), replica("b", 0, "active", true, 20));

    assertThat(ServiceState.split(all, "a", null).stable()).isEqualTo("a");
    assertThat(ServiceState.split(all, "gone", null).stable()).isEqualTo("b");
  }

  @Test
  void publishLabelRoundTripsIpv4AndIpv6Bindings() {
    String label =
        Replica.encodePublished(
            Map.of(HostBinding.loopback(18080), 8080, new HostBinding("::1", 18443), 8443));

    Map<String, Integer> decoded = Replica.decodePublished(label + ",garbage,=1");

    assertThat(decoded).containsEntry("127.0.0.1:18080", 8080).containsEntry("[::1]:18443", 8443);
    assertThat(Replica.parseBinding("[::1]:18443")).isEqualTo(new HostBinding("::1", 18443));
  }

  private static Replica replica(
      String deployment, int index, String role, boolean running, long created) {
    return new Replica(
        deployment + "-" + index,
        "syn-shop-web-" + deployment + "-" + index,
        WEB,
        deployment,
        index,
        role,
        running,
        Map.of(8080, 30000 + index),
        Map.of("127.0.0.1:18080", 8080),
        "sha256:" + "a".repeat(64),
        created);
  }
}
