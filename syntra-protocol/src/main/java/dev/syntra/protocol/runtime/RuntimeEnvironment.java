package dev.syntra.protocol.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link RuntimeAdapterProvider} gets from the agent: a private state directory for the
 * adapter (deploy history and the like; created by the agent with owner-only permissions) and the
 * agent's settings, i.e. its environment variables overlaid with its config file.
 *
 * <p>Settings the bundled providers read: {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code
 * DOCKER_CERT_PATH} (Docker); {@code SYNTRA_KUBERNETES_API} (an API server URL, e.g. a test
 * server), {@code KUBECONFIG}, {@code KUBERNETES_SERVICE_HOST} (in-cluster) (Kubernetes).
 */
public record RuntimeEnvironment(Path stateDir, Map<String, String> settings) {
  public RuntimeEnvironment {
    if (stateDir == null) {
      throw new IllegalArgumentException("state_dir: required");
    }
    settings = Map.copyOf(settings);
  }

  /** The setting {@code key}, if set and not blank. */
  public Optional<String> setting(String key) {
    String value = settings.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
