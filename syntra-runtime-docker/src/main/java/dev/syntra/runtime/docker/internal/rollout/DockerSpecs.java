package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traefik.TraefikLabels;
import java.util.HashSet;
import java.util.Set;

/** Docker-specific checks and derivations of {@link DeploySpec}s. Stateless. */
public final class DockerSpecs {
  private DockerSpecs() {}

  /**
   * Checks what Docker needs beyond {@link DeploySpec}'s own validation: a digest Docker accepts,
   * TCP-only and distinct host publishing, at least one canary replica, Traefik-safe values.
   *
   * @throws RuntimeAdapterException.InvalidSpec naming the field
   */
  public static void validate(DeploySpec spec) {
    ImagePuller.validate(spec.image());
    ReplicaFactory.checkCapabilities(spec.security());
    Set<HostBinding> bindings = new HashSet<>();
    for (PortMapping p : spec.ports()) {
      if (p.publish() == null) {
        continue;
      }
      if (p.protocol() == PortMapping.Protocol.UDP) {
        throw new RuntimeAdapterException.InvalidSpec(
            "ports: publishing UDP port "
                + p.containerPort()
                + " is not supported by the Docker runtime (its proxy forwards TCP only)");
      }
      if (!bindings.add(p.publish())) {
        throw new RuntimeAdapterException.InvalidSpec(
            "ports: host address " + p.publish() + " is published twice");
      }
    }
    if (spec.strategy() == DeployStrategy.CANARY && spec.replicas() == 0) {
      throw new RuntimeAdapterException.InvalidSpec("replicas: a canary needs at least 1 replica");
    }
    try {
      TraefikLabels.forService(spec);
    } catch (IllegalArgumentException e) {
      throw new RuntimeAdapterException.InvalidSpec(e.getMessage());
    }
  }

  /**
   * The spec that rolls back to {@code target}: its env, ports and limits, the image pinned to the
   * recorded digest, a canary strategy replaced by rolling, under deployment id {@code newId}.
   */
  public static DeploySpec rollbackSpec(DeployHistory.Entry target, String newId) {
    DeploySpec spec = target.spec();
    String image = spec.image();
    if (target.imageDigest().startsWith("sha256:")) {
      image = ImageReference.parse(spec.image()).name() + "@" + target.imageDigest();
    }
    DeployStrategy strategy =
        spec.strategy() == DeployStrategy.CANARY ? DeployStrategy.ROLLING : spec.strategy();
    return withIdentity(spec, newId, image, strategy);
  }

  /** Whether {@code deploymentId} is already in the service's history or on its containers. */
  public static boolean deploymentIdTaken(
      DeployHistory history, ServiceState state, ServiceRef service, String deploymentId) {
    return history.list(service).stream()
            .anyMatch(e -> e.spec().deploymentId().equals(deploymentId))
        || state.replicas(service).stream().anyMatch(r -> r.deploymentId().equals(deploymentId));
  }

  /** A copy of {@code spec} with another deployment id, image and strategy. */
  public static DeploySpec withIdentity(
      DeploySpec spec, String deploymentId, String image, DeployStrategy strategy) {
    return new DeploySpec(
        deploymentId,
        spec.service(),
        image,
        spec.registryAuth(),
        spec.replicas(),
        spec.env(),
        spec.command(),
        spec.ports(),
        spec.limits(),
        spec.domains(),
        spec.networkAliases(),
        spec.healthCheck(),
        strategy,
        spec.rollout(),
        spec.autoscaling(),
        spec.security());
  }
}
