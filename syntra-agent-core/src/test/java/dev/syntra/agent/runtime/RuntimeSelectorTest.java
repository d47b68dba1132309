package dev.syntra.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.agent.testing.InMemoryRuntime;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSelectorTest {
  private final RuntimeEnvironment env = new RuntimeEnvironment(Path.of("/tmp/x"), Map.of());

  private record Fake(String runtimeName, int priority, boolean available)
      implements RuntimeAdapterProvider {
    @Override
    public Detection detect(RuntimeEnvironment environment) {
      return available
          ? Detection.available(runtimeName + " answers")
          : Detection.unavailable(runtimeName + " socket not found");
    }

    @Override
    public RuntimeAdapter create(RuntimeEnvironment environment) {
      return new InMemoryRuntime();
    }
  }

  @Test
  void autoPicksTheHighestPriorityRuntimeThatIsDetected() {
    RuntimeSelector selector =
        new RuntimeSelector(
            List.of(
                new Fake("docker", 100, true),
                new Fake("kubernetes", 200, false),
                new Fake("podman", 50, true)));
    assertThat(selector.providers())
        .extracting(RuntimeAdapterProvider::runtimeName)
        .containsExactly("kubernetes", "docker", "podman");
    assertThat(selector.select("auto", env).runtimeName()).isEqualTo("docker");
  }

  @Test
  void explainsEveryProviderWhenNothingIsDetected() {
    RuntimeSelector selector =
        new RuntimeSelector(
            List.of(new Fake("docker", 100, false), new Fake("kubernetes", 200, false)));
    assertThatThrownBy(() -> selector.select("auto", env))
        .isInstanceOf(RuntimeSelectionException.class)
        .hasMessageContaining("kubernetes: kubernetes socket not found")
        .hasMessageContaining("docker: docker socket not found");
  }

  @Test
  void aNamedRuntimeIsUsedWithoutDetectionAndAnUnknownOneIsRefused() {
    RuntimeSelector selector = new RuntimeSelector(List.of(new Fake("docker", 100, false)));
    assertThat(selector.select("docker", env).runtimeName()).isEqualTo("docker");
    assertThatThrownBy(() -> selector.select("nomad", env))
        .hasMessageContaining("unknown runtime 'nomad'")
        .hasMessageContaining("docker");
  }

  @Test
  void findsProvidersOnTheClassPath() {
    assertThat(RuntimeSelector.fromClassPath().providers())
        .extracting(RuntimeAdapterProvider::runtimeName)
        .contains("memory");
  }
}
