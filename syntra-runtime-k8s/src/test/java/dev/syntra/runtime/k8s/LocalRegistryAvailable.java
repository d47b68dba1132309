package dev.syntra.runtime.k8s;

import dev.syntra.protocol.runtime.ContractEngine;
import org.jspecify.annotations.Nullable;

/**
 * The simulated cluster "pulls" from the local registry and runs exec in throwaway Docker
 * containers, so the tests using it need the engines of {@code scripts/engines/docker-up.sh}
 * (skipped with the reason without them, failed with {@code CI=true}).
 */
final class LocalRegistryAvailable extends ContractEngine {
  @Override
  protected @Nullable String probe() {
    String registry = registryProblem();
    if (registry != null) {
      return registry;
    }
    try {
      Process docker = new ProcessBuilder("docker", "version").redirectErrorStream(true).start();
      docker.getInputStream().readAllBytes();
      return docker.waitFor() == 0 ? null : "`docker version` failed: the daemon does not answer";
    } catch (Exception e) {
      return "the local registry or the docker CLI is not available: " + e;
    }
  }
}
