package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection and creation through the ServiceLoader, as the agent does it. */
class KubernetesRuntimeProviderTest {
  @TempDir Path state;

  private static RuntimeAdapterProvider provider() {
    return ServiceLoader.load(RuntimeAdapterProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.runtimeName().equals("kubernetes"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void isRegisteredAndTriedBeforeDocker() {
    assertThat(provider()).isInstanceOf(KubernetesRuntimeProvider.class);
    assertThat(provider().priority()).isEqualTo(200);
  }

  @Test
  void detectsAndCreatesAnAdapterForTheConfiguredApiUrl() {
    try (SimulatedCluster cluster = new SimulatedCluster()) {
      RuntimeEnvironment env =
          new RuntimeEnvironment(state, Map.of("SYNTRA_KUBERNETES_API", cluster.url()));

      RuntimeAdapterProvider.Detection detection = provider().detect(env);

      assertThat(detection.available()).as(detection.detail()).isTrue();
      assertThat(detection.detail()).contains(cluster.url()).contains("SYNTRA_KUBERNETES_API");
      try (RuntimeAdapter adapter = provider().create(env)) {
        assertThat(adapter.runtimeName()).isEqualTo("kubernetes");
        assertThat(adapter.status(new ServiceRef("k3x9a2", "nothing", "here")).state())
            .isEqualTo(ServiceStatus.State.NOT_FOUND);
      }
    }
  }

  @Test
  void aClosedPortIsUnavailableWithTheReason() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    RuntimeEnvironment env =
        new RuntimeEnvironment(state, Map.of("SYNTRA_KUBERNETES_API", "http://127.0.0.1:" + port));

    RuntimeAdapterProvider.Detection detection = provider().detect(env);

    assertThat(detection.available()).isFalse();
    assertThat(detection.detail()).contains("127.0.0.1:" + port).contains("does not answer");
  }

  @Test
  void nothingConfiguredIsUnavailable() {
    RuntimeEnvironment env =
        new RuntimeEnvironment(state, Map.of("KUBECONFIG", state.resolve("missing").toString()));
    RuntimeAdapterProvider.Detection detection = provider().detect(env);
    assertThat(detection.available()).isFalse();
    assertThat(detection.detail()).contains("not readable");
  }
}
