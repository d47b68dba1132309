package dev.syntra.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when the Docker daemon and the local test registry answer (started by
 * {@code scripts/engines/docker-up.sh}); skips with the reason otherwise, and fails instead when
 * {@code CI=true}.
 */
final class DockerEngine implements ExecutionCondition {
  private static volatile @Nullable String unavailable;
  private static volatile boolean checked;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = reason();
    if (reason == null) {
      return ConditionEvaluationResult.enabled("Docker and the test registry answer");
    }
    String message = reason + "; start them with scripts/engines/docker-up.sh";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true requires Docker: " + message);
    }
    System.err.println("SKIPPED (no Docker): " + message + " (" + context.getDisplayName() + ")");
    return ConditionEvaluationResult.disabled(message);
  }

  private static synchronized @Nullable String reason() {
    if (checked) {
      return unavailable;
    }
    checked = true;
    try (DockerClient docker = client()) {
      docker.pingCmd().exec();
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://127.0.0.1:5000/v2/").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      if (c.getResponseCode() != 200) {
        unavailable = "the test registry on 127.0.0.1:5000 answered " + c.getResponseCode();
      }
    } catch (Exception e) {
      unavailable = "Docker or the test registry does not answer: " + e;
    }
    return unavailable;
  }

  static DockerClient client() {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion("1.41")
            .build();
    return DockerClientImpl.getInstance(
        config, new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host)).build());
  }

  /** Containers (running or not) carrying label {@code key=value}. */
  static List<Container> containers(String key, String value) {
    try (DockerClient docker = client()) {
      return docker
          .listContainersCmd()
          .withShowAll(true)
          .withLabelFilter(java.util.Map.of(key, value))
          .exec();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Removes every container of a project (test cleanup). */
  static void removeProject(String project) {
    try (DockerClient docker = client()) {
      for (Container c :
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(java.util.Map.of("syntra.project", project))
              .exec()) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    } catch (Exception e) {
      System.err.println("cleanup of project " + project + " failed: " + e);
    }
  }
}
