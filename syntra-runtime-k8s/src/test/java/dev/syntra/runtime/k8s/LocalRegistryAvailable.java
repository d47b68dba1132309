package dev.syntra.runtime.k8s;

import java.net.HttpURLConnection;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The simulated cluster "pulls" from the local registry and runs exec in throwaway Docker
 * containers, so the tests using it need {@code scripts/engines/docker-up.sh}. Without the engines
 * they skip and say why; with {@code CI=true} they fail.
 */
final class LocalRegistryAvailable implements ExecutionCondition {
  private static volatile @Nullable String unavailable;
  private static volatile boolean checked;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = reason();
    if (reason == null) {
      return ConditionEvaluationResult.enabled("Docker and the local registry answer");
    }
    String message = reason + "; start them with scripts/engines/docker-up.sh";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true requires the engines: " + message);
    }
    System.err.println("SKIPPED (no engines): " + message + " (" + context.getDisplayName() + ")");
    return ConditionEvaluationResult.disabled(message);
  }

  private static synchronized @Nullable String reason() {
    if (checked) {
      return unavailable;
    }
    checked = true;
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://127.0.0.1:5000/v2/").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      if (c.getResponseCode() != 200) {
        unavailable = "the test registry on 127.0.0.1:5000 answered " + c.getResponseCode();
        return unavailable;
      }
      Process docker = new ProcessBuilder("docker", "version").redirectErrorStream(true).start();
      docker.getInputStream().readAllBytes();
      if (docker.waitFor() != 0) {
        unavailable = "`docker version` failed: the daemon does not answer";
      }
    } catch (Exception e) {
      unavailable = "the local registry or the docker CLI is not available: " + e;
    }
    return unavailable;
  }
}
