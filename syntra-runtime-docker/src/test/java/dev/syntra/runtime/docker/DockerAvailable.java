package dev.syntra.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.syntra.protocol.runtime.ContractEngine;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * JUnit 5 condition for tests that need the real Docker daemon and the local test registry (started
 * by {@code scripts/engines/docker-up.sh}). Without them the test is skipped with the reason
 * printed to stderr; with {@code CI=true} it fails instead, because CI must never skip silently.
 * Also holds the helpers those tests share: test images, unique project slugs, free loopback ports,
 * and listing/removing containers by the {@code syntra.project} label.
 */
public final class DockerAvailable extends ContractEngine {
  public static final String HTTPD_1 = "127.0.0.1:5000/syntra-test/httpd:1";
  public static final String HTTPD_2 = "127.0.0.1:5000/syntra-test/httpd:2";
  public static final String UNHEALTHY = "127.0.0.1:5000/syntra-test/unhealthy:1";
  public static final String CRASH = "127.0.0.1:5000/syntra-test/crash:1";
  public static final String PRIVATE_HTTPD = "127.0.0.1:5001/private/httpd:1";

  /** HTTP GET /health on 8080 every 200 ms, 1 s timeout, 5 retries: fast for tests. */
  public static final HealthCheck FAST_HEALTH =
      new HealthCheck(
          HealthCheck.Type.HTTP,
          "/health",
          8080,
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          5,
          Duration.ZERO);

  @Override
  protected @Nullable String probe() {
    try (DockerClient docker = client()) {
      docker.pingCmd().exec();
    } catch (Exception e) {
      return "the Docker daemon at " + dockerHost() + " does not answer: " + e;
    }
    return registryProblem();
  }

  /** The daemon address the tests use: {@code DOCKER_HOST} or the default unix socket. */
  public static URI dockerHost() {
    String env = System.getenv("DOCKER_HOST");
    return URI.create(env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env);
  }

  /** A new docker-java client for assertions; close it. */
  public static DockerClient client() {
    return DockerClients.create(dockerHost(), false, Path.of("."));
  }

  /** A project slug no other test uses, e.g. {@code it-3fa85f64}. */
  public static String uniqueProject() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return "it-" + HexFormat.of().formatHex(b);
  }

  /** A deployment id with a random tail (container names use its last 8 characters). */
  public static String deploymentId(String prefix) {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return prefix + "-" + HexFormat.of().formatHex(b);
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every managed container of {@code project}, running or not. */
  public static List<Container> containersOf(DockerClient docker, String project) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.MANAGED, "true", Labels.PROJECT, project))
        .exec();
  }

  /** Removes every managed container of {@code project} (test cleanup). */
  public static void removeProject(String project) {
    try (DockerClient docker = client()) {
      for (Container c : containersOf(docker, project)) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
      // And the project networks the adapter created for it.
      for (var n :
          docker
              .listNetworksCmd()
              .withFilter("label", List.of(Labels.PROJECT + "=" + project))
              .exec()) {
        docker.removeNetworkCmd(n.getId()).exec();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
