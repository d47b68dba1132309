package dev.syntra.runtime.docker.internal.replica;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import dev.syntra.runtime.docker.internal.traefik.TraefikLabels;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, starts, stops and removes replica containers. Every replica is confined by its spec's
 * {@link SecurityOptions} ({@code no-new-privileges}, capabilities dropped and added back), joins
 * its project's network ({@link ProjectNetworks}) with the service's DNS aliases, and publishes
 * each of its TCP ports on an ephemeral loopback port ({@code 127.0.0.1::port}); the adapter
 * reaches it only there. Thread-safe.
 */
public final class ReplicaFactory {

  /** {@link Labels#ROLE} of replicas of a regular deployment. */
  public static final String ROLE_ACTIVE = "active";

  /** {@link Labels#ROLE} of replicas started as a canary (until promoted or aborted). */
  public static final String ROLE_CANARY = "canary";

  private static final Logger log = LoggerFactory.getLogger(ReplicaFactory.class);
  private static final String LOOPBACK = "127.0.0.1";

  /**
   * Every replica reaches its host, where the agent's OTLP receivers listen, as {@code
   * host.docker.internal} (the name Docker Desktop provides; {@code host-gateway} is the bridge
   * gateway address on Linux, Docker 20.10+). The control plane points {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT} at it.
   */
  public static final String HOST_GATEWAY = "host.docker.internal:host-gateway";

  private final DockerClient docker;
  private final String daemon;
  private final Duration stopTimeout;
  private final ProjectNetworks networks;

  /**
   * @param daemon the daemon address, for messages
   * @param stopTimeout grace period of {@code docker stop} before Docker kills a replica
   * @param networks the project networks replicas join
   */
  public ReplicaFactory(
      DockerClient docker, String daemon, Duration stopTimeout, ProjectNetworks networks) {
    this.docker = docker;
    this.daemon = daemon;
    this.stopTimeout = stopTimeout;
    this.networks = networks;
  }

  /** Creates and starts replica {@code index} of {@code spec}, returning it with its ports. */
  public Replica start(DeploySpec spec, int index, String role, String imageDigest) {
    networks.ensure(spec.service());
    String name = Labels.containerName(spec.service(), spec.deploymentId(), index);
    String id = create(spec, name, index, role, imageDigest);
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      remove(id);
      throw DockerErrors.map(e, "start container " + name, daemon);
    }
    return inspect(id);
  }

  /** Starts a stopped replica again; Docker may assign it new loopback ports. */
  public Replica startExisting(Replica replica) {
    try {
      docker.startContainerCmd(replica.id()).exec();
    } catch (NotModifiedException e) {
      // Already running.
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "start container " + replica.name(), daemon);
    }
    return inspect(replica.id());
  }

  /** Restarts a replica in place with a bounded stop, returning its fresh ports. */
  public Replica restart(Replica replica) {
    try {
      docker.restartContainerCmd(replica.id()).withTimeout(seconds(stopTimeout)).exec();
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "restart container " + replica.name(), daemon);
    }
    return inspect(replica.id());
  }

  /** Stops a replica, waiting up to the stop timeout before Docker kills it; absent is fine. */
  public void stop(Replica replica) {
    try {
      docker.stopContainerCmd(replica.id()).withTimeout(seconds(stopTimeout)).exec();
    } catch (NotModifiedException e) {
      // Already stopped.
    } catch (RuntimeException e) {
      if (!DockerErrors.isNotFound(e)) {
        throw DockerErrors.map(e, "stop container " + replica.name(), daemon);
      }
    }
  }

  /** Removes a container by id (forcefully: it is stopped first); absent is fine. */
  public void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (RuntimeException e) {
      if (DockerErrors.isNotFound(e)) {
        return;
      }
      if (e instanceof ConflictException && String.valueOf(e.getMessage()).contains("progress")) {
        return;
      }
      throw DockerErrors.map(e, "remove container " + id, daemon);
    }
  }

  /** Current facts about a container. */
  public Replica inspect(String id) {
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(id).exec();
    } catch (RuntimeException e) {
      throw DockerErrors.map(e, "inspect container " + id, daemon);
    }
    return fromInspect(c);
  }

  private String create(DeploySpec spec, String name, int index, String role, String digest) {
    for (int attempt = 0; ; attempt++) {
      try {
        return createCommand(spec, name, index, role, digest).exec().getId();
      } catch (ConflictException e) {
        if (attempt > 0 || !removeLeftover(spec, name)) {
          throw new RuntimeAdapterException.Conflict(
              "container name "
                  + name
                  + " is taken by a container of another deployment or owner; deployment ids of"
                  + " one service must differ in their last 8 letters and digits",
              e);
        }
      } catch (RuntimeException e) {
        if (attempt == 0 && DockerErrors.isNotFound(e) && isNetworkMissing(e)) {
          networks.forget(spec.service());
          networks.ensure(spec.service());
          continue;
        }
        throw DockerErrors.map(e, "create container " + name, daemon);
      }
    }
  }

  private CreateContainerCmd createCommand(
      DeploySpec spec, String name, int index, String role, String digest) {
    Set<Integer> tcpPorts = tcpPorts(spec);
    List<ExposedPort> exposed = new ArrayList<>();
    List<PortBinding> bindings = new ArrayList<>();
    for (int port : tcpPorts) {
      ExposedPort ep = ExposedPort.tcp(port);
      exposed.add(ep);
      bindings.add(new PortBinding(Ports.Binding.bindIp(LOOPBACK), ep));
    }
    for (PortMapping p : spec.ports()) {
      if (p.protocol() == PortMapping.Protocol.UDP) {
        exposed.add(ExposedPort.udp(p.containerPort()));
      }
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withPortBindings(bindings)
            .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
            .withInit(true)
            .withNetworkMode(Labels.network(spec.service()))
            .withExtraHosts(HOST_GATEWAY);
    confine(host, spec.security());
    if (spec.limits().cpuMillis() > 0) {
      host.withNanoCPUs(spec.limits().cpuMillis() * 1_000_000L);
    }
    if (spec.limits().memoryBytes() > 0) {
      host.withMemory(spec.limits().memoryBytes()).withMemorySwap(spec.limits().memoryBytes());
    }
    List<String> env = new ArrayList<>(spec.env().size());
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(spec.image())
            .withName(name)
            .withLabels(labels(spec, index, role, digest))
            .withEnv(env)
            .withExposedPorts(exposed)
            .withHostConfig(host)
            .withAliases(aliases(spec));
    if (!spec.command().isEmpty()) {
      cmd.withCmd(spec.command());
    }
    return cmd;
  }

  /**
   * Applies {@code security}: {@code no-new-privileges}, then the capabilities dropped and added
   * back (Docker applies the drop first, so {@code ALL} + an add-back list keeps only that list).
   */
  static void confine(HostConfig host, SecurityOptions security) {
    if (security.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges:true"));
    }
    if (!security.capDrop().isEmpty()) {
      host.withCapDrop(capabilities(security.capDrop()));
    }
    if (!security.capAdd().isEmpty()) {
      host.withCapAdd(capabilities(security.capAdd()));
    }
  }

  /**
   * Checks that the Docker runtime knows every capability of {@code security}.
   *
   * @throws RuntimeAdapterException.InvalidSpec naming the unknown one
   */
  public static void checkCapabilities(SecurityOptions security) {
    capabilities(security.capDrop());
    capabilities(security.capAdd());
  }

  private static Capability[] capabilities(List<String> names) {
    Capability[] out = new Capability[names.size()];
    for (int i = 0; i < names.size(); i++) {
      try {
        out[i] = Capability.valueOf(names.get(i));
      } catch (IllegalArgumentException e) {
        throw new RuntimeAdapterException.InvalidSpec(
            "security: capability " + names.get(i) + " is not known to the Docker runtime");
      }
    }
    return out;
  }

  /** Every label of a new replica: ownership, port, role, Traefik routing, publish, digest. */
  static Map<String, String> labels(DeploySpec spec, int index, String role, String digest) {
    Map<String, String> labels = new TreeMap<>(TraefikLabels.forService(spec));
    labels.putAll(Labels.of(spec.service(), spec.deploymentId(), index));
    if (!spec.ports().isEmpty()) {
      labels.put(Labels.PORT, Integer.toString(spec.ports().get(0).containerPort()));
    }
    labels.put(Labels.ROLE, role);
    labels.put(Labels.IMAGE_DIGEST, digest);
    Map<HostBinding, Integer> published = publishedBindings(spec);
    if (!published.isEmpty()) {
      labels.put(Labels.PUBLISH, Replica.encodePublished(published));
    }
    return labels;
  }

  /** The host bindings of {@code spec}, each with the container port behind it. */
  public static Map<HostBinding, Integer> publishedBindings(DeploySpec spec) {
    Map<HostBinding, Integer> out = new LinkedHashMap<>();
    for (PortMapping p : spec.ports()) {
      if (p.publish() != null) {
        out.put(p.publish(), p.containerPort());
      }
    }
    return out;
  }

  /** Internal DNS names: the spec's aliases plus {@link ServiceRef#internalDnsName()}. */
  static List<String> aliases(DeploySpec spec) {
    Set<String> aliases = new LinkedHashSet<>(spec.networkAliases());
    aliases.add(spec.service().internalDnsName());
    return List.copyOf(aliases);
  }

  /** TCP ports to publish on loopback: the spec's TCP ports plus the health check port. */
  static Set<Integer> tcpPorts(DeploySpec spec) {
    Set<Integer> ports = new LinkedHashSet<>();
    for (PortMapping p : spec.ports()) {
      if (p.protocol() == PortMapping.Protocol.TCP) {
        ports.add(p.containerPort());
      }
    }
    if (spec.healthCheck() != null) {
      ports.add(spec.healthCheck().port());
    }
    return ports;
  }

  private boolean removeLeftover(DeploySpec spec, String name) {
    InspectContainerResponse existing;
    try {
      existing = docker.inspectContainerCmd(name).exec();
    } catch (RuntimeException e) {
      return DockerErrors.isNotFound(e);
    }
    Map<String, String> labels =
        existing.getConfig() == null || existing.getConfig().getLabels() == null
            ? Map.of()
            : existing.getConfig().getLabels();
    boolean ours =
        "true".equals(labels.get(Labels.MANAGED))
            && spec.service().organization().equals(labels.get(Labels.ORGANIZATION))
            && spec.service().project().equals(labels.get(Labels.PROJECT))
            && spec.service().service().equals(labels.get(Labels.SERVICE))
            && spec.deploymentId().equals(labels.get(Labels.DEPLOYMENT));
    if (!ours) {
      return false;
    }
    log.info("Removing leftover container {} of an earlier attempt", name);
    remove(existing.getId());
    return true;
  }

  private static boolean isNetworkMissing(RuntimeException e) {
    return String.valueOf(e.getMessage()).contains("network");
  }

  /** The loopback port Docker published for each TCP container port. */
  public static Map<Integer, Integer> loopbackPorts(InspectContainerResponse c) {
    Map<Integer, Integer> loopback = new LinkedHashMap<>();
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getPorts() == null) {
      return loopback;
    }
    c.getNetworkSettings()
        .getPorts()
        .getBindings()
        .forEach((exposed, hostBindings) -> {
          if (hostBindings == null || exposed.getProtocol() != InternetProtocol.TCP) {
            return;
          }
          for (Ports.Binding b : hostBindings) {
            Integer port = parsePort(b.getHostPortSpec());
            if (port != null) {
              loopback.putIfAbsent(exposed.getPort(), port);
            }
          }
        });
    return loopback;
  }

  private static Replica fromInspect(InspectContainerResponse c) {
    Map<String, String> labels =
        c.getConfig() == null || c.getConfig().getLabels() == null
            ? Map.of()
            : c.getConfig().getLabels();
    Map<Integer, Integer> loopback = loopbackPorts(c);
    boolean running =
        c.getState() != null
            && Boolean.TRUE.equals(c.getState().getRunning())
            && !Boolean.TRUE.equals(c.getState().getRestarting());
    String name = c.getName() == null ? c.getId() : c.getName().replaceFirst("^/", "");
    return new Replica(
        c.getId(),
        name,
        new ServiceRef(
            labels.get(Labels.ORGANIZATION),
            labels.get(Labels.PROJECT),
            labels.get(Labels.SERVICE)),
        labels.get(Labels.DEPLOYMENT),
        parseIndex(labels.get(Labels.REPLICA)),
        labels.getOrDefault(Labels.ROLE, ROLE_ACTIVE),
        running,
        loopback,
        Replica.decodePublished(labels.get(Labels.PUBLISH)),
        labels.get(Labels.IMAGE_DIGEST),
        createdSeconds(c.getCreated()));
  }

  public static int parseIndex(@Nullable String label) {
    try {
      return label == null ? 0 : Integer.parseInt(label);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static @Nullable Integer parsePort(@Nullable String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(spec.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long createdSeconds(@Nullable String created) {
    if (created == null) {
      return 0;
    }
    try {
      return Instant.parse(created).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static int seconds(Duration d) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toSeconds()));
  }
}
