package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ContractEngine;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The real Docker daemon and the local test registry, reached through the Docker adapter found by
 * {@link ServiceLoader} (agent-core sees adapters only at runtime). Skips without them, fails with
 * {@code CI=true}.
 */
public final class DockerEngine extends ContractEngine {
  static final String IMAGE = "127.0.0.1:5000/syntra-test/httpd:1";

  @Override
  protected @Nullable String probe() {
    RuntimeAdapterProvider provider = provider();
    if (provider == null) {
      return "no docker RuntimeAdapterProvider on the test class path";
    }
    var detection = provider.detect(new RuntimeEnvironment(Path.of("."), Map.of()));
    return detection.available() ? registryProblem() : detection.detail();
  }

  static @Nullable RuntimeAdapterProvider provider() {
    for (RuntimeAdapterProvider provider : ServiceLoader.load(RuntimeAdapterProvider.class)) {
      if (provider.runtimeName().equals("docker")) {
        return provider;
      }
    }
    return null;
  }

  static RuntimeAdapter adapter(Path stateDir) {
    String host = System.getenv("DOCKER_HOST");
    Map<String, String> settings = host == null ? Map.of() : Map.of("DOCKER_HOST", host);
    return provider().create(new RuntimeEnvironment(stateDir, settings));
  }
}
