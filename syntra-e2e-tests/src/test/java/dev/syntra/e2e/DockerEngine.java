package dev.syntra.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.syntra.protocol.runtime.ContractEngine;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs a test class only when the Docker daemon and the local test registry answer (started by
 * {@code scripts/engines/docker-up.sh}); skips with the reason otherwise, and fails instead when
 * {@code CI=true}. Also lists and removes containers for the tests.
 */
final class DockerEngine extends ContractEngine {
  @Override
  protected @Nullable String probe() {
    try (DockerClient docker = client()) {
      docker.pingCmd().exec();
    } catch (Exception e) {
      return "the Docker daemon does not answer: " + e;
    }
    return registryProblem();
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
