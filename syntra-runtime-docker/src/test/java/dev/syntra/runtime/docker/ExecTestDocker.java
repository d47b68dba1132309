package dev.syntra.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Docker client and throwaway containers of the operational integration tests (logs, exec,
 * stats, events, prune). Every instance uses its own project slug ({@code it-<random>}); {@link
 * #close()} removes every container carrying it, and never touches any other container. Tests using
 * it are annotated with {@code @ExtendWith(DockerAvailable.class)}.
 */
public final class ExecTestDocker implements AutoCloseable {
  public static final String HTTPD = DockerAvailable.HTTPD_1;
  public static final String CRASH = DockerAvailable.CRASH;

  public final DockerClient docker;
  public final ServiceRef service;
  private final AtomicInteger replicas = new AtomicInteger();

  public ExecTestDocker() {
    this.docker = client(DockerAvailable.dockerHost());
    this.service = new ServiceRef("k3x9a2", DockerAvailable.uniqueProject(), "ops");
  }

  /**
   * A client configured as the adapter's (API 1.41, httpclient5) for the daemon at {@code host}.
   */
  public static DockerClient client(URI host) {
    return DockerClients.create(host, false, Path.of("."));
  }

  /** Creates and starts a managed container of {@link #service}; returns its id. */
  public String run(String image, List<String> command, Consumer<HostConfig> hostConfig) {
    String id = create(image, command, hostConfig);
    docker.startContainerCmd(id).exec();
    return id;
  }

  /** Creates (without starting) a managed container of {@link #service}; returns its id. */
  public String create(String image, List<String> command, Consumer<HostConfig> hostConfig) {
    int replica = replicas.getAndIncrement();
    String deployment = "dep-" + replica;
    HostConfig host = HostConfig.newHostConfig().withInit(true);
    hostConfig.accept(host);
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(image)
            .withName(Labels.containerName(service, deployment, replica))
            .withLabels(Labels.of(service, deployment, replica))
            .withHostConfig(host);
    if (!command.isEmpty()) {
      cmd = cmd.withCmd(command);
    }
    return cmd.exec().getId();
  }

  /** The container's name without the leading slash. */
  public String name(String id) {
    return Labels.stripSlash(docker.inspectContainerCmd(id).exec().getName());
  }

  /** Waits (bounded) until the container stopped; returns its exit code. */
  public int awaitExit(String id) {
    return docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
  }

  /** Every container of this test's project, running or not. */
  public List<Container> containers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.MANAGED, "true", Labels.PROJECT, service.project()))
        .exec();
  }

  /** Removes every container of this test's project. */
  public void removeContainers() {
    for (Container c : containers()) {
      try {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      } catch (NotFoundException e) {
        // Already gone.
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      removeContainers();
    } finally {
      docker.close();
    }
  }
}
