package dev.syntra.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DockerAvailable.class)
class DockerRuntimeProviderIT {
  @TempDir Path state;

  @Test
  void isFoundWithServiceLoaderAndDetectsTheDaemon() {
    RuntimeAdapterProvider provider =
        ServiceLoader.load(RuntimeAdapterProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.runtimeName().equals("docker"))
            .findFirst()
            .orElseThrow();
    RuntimeEnvironment env = new RuntimeEnvironment(state, Map.of());
    assertThat(provider.detect(env).available()).as(provider.detect(env).detail()).isTrue();
    try (RuntimeAdapter adapter = provider.create(env)) {
      assertThat(adapter.status(new ServiceRef("k3x9a2", "nothing", "here")).state())
          .isEqualTo(ServiceStatus.State.NOT_FOUND);
    }
  }

  @Test
  void reportsAMissingSocketOrASilentDaemonClearly() {
    DockerRuntimeProvider provider = new DockerRuntimeProvider();
    var missing =
        provider.detect(
            new RuntimeEnvironment(
                state, Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")));
    assertThat(missing.available()).isFalse();
    assertThat(missing.detail()).contains("no Docker socket at /nonexistent/docker.sock");
    var silent =
        provider.detect(new RuntimeEnvironment(state, Map.of("DOCKER_HOST", "tcp://127.0.0.1:1")));
    assertThat(silent.available()).isFalse();
    assertThat(silent.detail()).contains("does not answer");
  }
}
