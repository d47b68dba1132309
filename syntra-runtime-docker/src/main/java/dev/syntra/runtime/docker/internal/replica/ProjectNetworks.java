package dev.syntra.runtime.docker.internal.replica;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Container;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge network per project, {@code syn-{organization}-{project}} ({@link Labels#network}),
 * created on the first deploy of the project and removed when its last container is gone. Replicas
 * of a project resolve each other's aliases there; replicas of other projects or organizations sit
 * on other networks and can neither resolve nor reach them.
 *
 * <p>When a Traefik container is configured, it is connected to every project network the adapter
 * creates or first uses, and disconnected before the network is removed, so Traefik reaches the
 * replicas of every project (its labels name the project network in {@code
 * traefik.docker.network}). Thread-safe.
 */
public final class ProjectNetworks {
  private static final Logger log = LoggerFactory.getLogger(ProjectNetworks.class);

  private final DockerClient docker;
  private final String daemon;
  private final @Nullable String traefikContainer;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();

  /**
   * @param daemon the daemon address, for messages
   * @param traefikContainer name or id of the Traefik container to attach, or null
   */
  public ProjectNetworks(DockerClient docker, String daemon, @Nullable String traefikContainer) {
    this.docker = docker;
    this.daemon = daemon;
    this.traefikContainer = traefikContainer;
  }

  /** Creates the network of {@code service}'s project unless it exists (tolerating a race). */
  public String ensure(ServiceRef service) {
    String name = Labels.network(service);
    if (ready.contains(name)) {
      return name;
    }
    try {
      docker.inspectNetworkCmd().withNetworkId(name).exec();
    } catch (RuntimeException e) {
      if (!DockerErrors.isNotFound(e)) {
        throw DockerErrors.map(e, "inspect network " + name, daemon);
      }
      create(service, name);
    }
    attachTraefik(name);
    ready.add(name);
    return name;
  }

  /** Forgets that the network exists (after the daemon said it does not). */
  void forget(ServiceRef service) {
    ready.remove(Labels.network(service));
  }

  /**
   * Removes the project network of {@code service} when no container of the project is left
   * (running or not). Never throws: a network that cannot be removed is logged and left.
   */
  public void removeIfUnused(ServiceRef service) {
    String name = Labels.network(service);
    try {
      List<Container> left =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Labels.projectFilter(service))
              .exec();
      if (!left.isEmpty()) {
        return;
      }
      ready.remove(name);
      if (traefikContainer != null) {
        try {
          docker
              .disconnectFromNetworkCmd()
              .withNetworkId(name)
              .withContainerId(traefikContainer)
              .withForce(true)
              .exec();
        } catch (RuntimeException e) {
          log.debug("Traefik was not attached to {}: {}", name, e.getMessage());
        }
      }
      docker.removeNetworkCmd(name).exec();
      log.info("Removed Docker network {}: its project has no container left", name);
    } catch (RuntimeException e) {
      if (!DockerErrors.isNotFound(e)) {
        log.warn("Cannot remove Docker network {} (left in place): {}", name, e.getMessage());
      }
    }
  }

  private void create(ServiceRef service, String name) {
    try {
      docker
          .createNetworkCmd()
          .withName(name)
          .withDriver("bridge")
          .withAttachable(true)
          .withCheckDuplicate(true)
          .withLabels(Labels.networkLabels(service))
          .exec();
      log.info("Created Docker network {}", name);
    } catch (ConflictException raced) {
      // Created concurrently by another operation or adapter: fine.
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "create network " + name, daemon);
    }
  }

  private void attachTraefik(String network) {
    if (traefikContainer == null) {
      return;
    }
    try {
      docker.connectToNetworkCmd().withNetworkId(network).withContainerId(traefikContainer).exec();
      log.info("Connected Traefik ({}) to {}", traefikContainer, network);
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("already exists")) {
        log.warn(
            "Cannot connect Traefik ({}) to {}; its routes to this project will not work: {}",
            traefikContainer,
            network,
            e.getMessage());
      }
    }
  }
}
