package dev.syntra.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-detection with the real runtime providers found on the agent's class path (the Docker and
 * Kubernetes modules), against fabric8's mock API server.
 */
class RuntimeDetectionTest {
  @TempDir Path state;

  @Test
  void picksKubernetesWhenAnApiServerAnswersEvenWithDockerPresent() {
    KubernetesMockServer api = new KubernetesMockServer(false);
    api.init();
    try {
      api.expect()
          .get()
          .withPath("/version")
          .andReturn(200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}")
          .always();
      RuntimeSelector selector = RuntimeSelector.fromClassPath();
      assertThat(selector.providers())
          .extracting(RuntimeAdapterProvider::runtimeName)
          .containsSubsequence("kubernetes", "docker");

      RuntimeAdapterProvider chosen =
          selector.select(
              RuntimeSelector.AUTO,
              new RuntimeEnvironment(
                  state, Map.of("SYNTRA_KUBERNETES_API", api.url("/").replaceAll("/$", ""))));

      assertThat(chosen.runtimeName()).isEqualTo("kubernetes");
    } finally {
      api.destroy();
    }
  }

  @Test
  void withNoRuntimeReachableItExplainsWhatItFoundForEach() {
    RuntimeSelector selector = RuntimeSelector.fromClassPath();
    RuntimeEnvironment nothing =
        new RuntimeEnvironment(
            state,
            Map.of(
                "KUBECONFIG",
                state.resolve("no-kubeconfig").toString(),
                "DOCKER_HOST",
                "unix://" + state.resolve("no-docker.sock")));
    assertThatThrownBy(() -> selector.select(RuntimeSelector.AUTO, nothing))
        .isInstanceOf(RuntimeSelectionException.class)
        .hasMessageContaining("no runtime detected")
        .hasMessageContaining("kubernetes: ")
        .hasMessageContaining("docker: no Docker socket at");
  }
}
