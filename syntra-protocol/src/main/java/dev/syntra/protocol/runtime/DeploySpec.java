package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything a runtime needs to run one version of a service. Built by the control plane (env
 * already decrypted and references resolved) and carried by the {@code deploy} command.
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists env keys but never their values, nor
 * registry passwords.
 *
 * @param deploymentId id of the deployment this spec belongs to; used in container names and
 *     history
 * @param service the project and service this deploys
 * @param image image reference, validated with {@link ImageReference#parse}
 * @param registryAuth pull credentials, or null for public/anonymous registries
 * @param replicas desired replica count (0 to 1000); ignored as a floor when {@code autoscaling} is
 *     set
 * @param env environment variables in insertion order
 * @param command overrides the image's command when not empty
 * @param ports ports the service listens on, optionally published on the host
 * @param limits cpu/memory limits of each replica
 * @param domains public host names routed to the first port through the reverse proxy
 * @param networkAliases extra DNS names on the internal network (e.g. {@code web.shop.internal})
 * @param healthCheck gate for taking traffic, or null to treat "running" as healthy
 * @param strategy how the new version replaces the old one
 * @param rollout tuning of the strategy
 * @param autoscaling horizontal autoscaling, or null for a fixed replica count
 * @param security confinement of every replica ({@link SecurityOptions#DEFAULTS} unless the service
 *     relaxes it)
 */
public record DeploySpec(
    String deploymentId,
    ServiceRef service,
    String image,
    @Nullable RegistryAuth registryAuth,
    int replicas,
    Map<String, String> env,
    List<String> command,
    List<PortMapping> ports,
    ResourceLimits limits,
    List<String> domains,
    List<String> networkAliases,
    @Nullable HealthCheck healthCheck,
    DeployStrategy strategy,
    RolloutOptions rollout,
    @Nullable Autoscaling autoscaling,
    SecurityOptions security) {

  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  public DeploySpec {
    Checks.identifier(deploymentId, "deployment_id");
    Checks.notNull(service, "service");
    ImageReference.parse(Checks.notBlank(image, "image"));
    Checks.range(replicas, 0, 1000, "replicas");
    env = Checks.map(env, "env");
    env.keySet().forEach(DeploySpec::checkEnvKey);
    command = Checks.list(command, "command");
    ports = Checks.list(ports, "ports");
    checkDistinctPorts(ports);
    Checks.notNull(limits, "limits");
    domains = Checks.list(domains, "domains");
    for (int i = 0; i < domains.size(); i++) {
      if (!DOMAIN.matcher(domains.get(i)).matches()) {
        throw new IllegalArgumentException(
            "domains[" + i + "]: '" + domains.get(i) + "' is not a lower-case host name");
      }
    }
    if (!domains.isEmpty() && ports.isEmpty()) {
      throw new IllegalArgumentException("ports: a service with domains needs at least one port");
    }
    networkAliases = Checks.list(networkAliases, "network_aliases");
    Checks.notNull(strategy, "strategy");
    Checks.notNull(rollout, "rollout");
    Checks.notNull(security, "security");
  }

  /**
   * A builder with defaults: 1 replica, rolling strategy, no limits, no health check, {@link
   * SecurityOptions#DEFAULTS}.
   */
  public static Builder builder(String deploymentId, ServiceRef service, String image) {
    return new Builder(deploymentId, service, image);
  }

  /** A builder pre-filled with this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder(deploymentId, service, image);
    b.registryAuth = registryAuth;
    b.replicas = replicas;
    b.env.putAll(env);
    b.command.addAll(command);
    b.ports.addAll(ports);
    b.limits = limits;
    b.domains.addAll(domains);
    b.networkAliases.addAll(networkAliases);
    b.healthCheck = healthCheck;
    b.strategy = strategy;
    b.rollout = rollout;
    b.autoscaling = autoscaling;
    b.security = security;
    return b;
  }

  private static void checkEnvKey(String key) {
    if (!ENV_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "env: key '" + key + "' must start with a letter or '_' and contain only [A-Za-z0-9_.-]");
    }
  }

  private static void checkDistinctPorts(List<PortMapping> ports) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortMapping p = ports.get(i);
      if (!seen.add(p.containerPort() + "/" + p.protocol())) {
        throw new IllegalArgumentException(
            "ports[" + i + "]: container port " + p.containerPort() + " is listed twice");
      }
    }
  }

  @Override
  public String toString() {
    return "DeploySpec[deploymentId="
        + deploymentId
        + ", service="
        + service
        + ", image="
        + image
        + ", registryAuth="
        + registryAuth
        + ", replicas="
        + replicas
        + ", env="
        + env.keySet()
        + " (values hidden), command="
        + command
        + ", ports="
        + ports
        + ", limits="
        + limits
        + ", domains="
        + domains
        + ", networkAliases="
        + networkAliases
        + ", healthCheck="
        + healthCheck
        + ", strategy="
        + strategy
        + ", rollout="
        + rollout
        + ", autoscaling="
        + autoscaling
        + ", security="
        + security
        + "]";
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final String deploymentId;
    private final ServiceRef service;
    private final String image;
    private @Nullable RegistryAuth registryAuth;
    private int replicas = 1;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> command = new ArrayList<>();
    private final List<PortMapping> ports = new ArrayList<>();
    private ResourceLimits limits = ResourceLimits.UNLIMITED;
    private final List<String> domains = new ArrayList<>();
    private final List<String> networkAliases = new ArrayList<>();
    private @Nullable HealthCheck healthCheck;
    private DeployStrategy strategy = DeployStrategy.ROLLING;
    private RolloutOptions rollout = RolloutOptions.DEFAULTS;
    private @Nullable Autoscaling autoscaling;
    private SecurityOptions security = SecurityOptions.DEFAULTS;

    private Builder(String deploymentId, ServiceRef service, String image) {
      this.deploymentId = deploymentId;
      this.service = service;
      this.image = image;
    }

    public Builder registryAuth(@Nullable RegistryAuth registryAuth) {
      this.registryAuth = registryAuth;
      return this;
    }

    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder command(List<String> command) {
      this.command.clear();
      this.command.addAll(command);
      return this;
    }

    public Builder port(PortMapping port) {
      ports.add(port);
      return this;
    }

    public Builder limits(ResourceLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder domain(String domain) {
      domains.add(domain);
      return this;
    }

    public Builder networkAlias(String alias) {
      networkAliases.add(alias);
      return this;
    }

    public Builder healthCheck(@Nullable HealthCheck healthCheck) {
      this.healthCheck = healthCheck;
      return this;
    }

    public Builder strategy(DeployStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    public Builder rollout(RolloutOptions rollout) {
      this.rollout = rollout;
      return this;
    }

    public Builder autoscaling(@Nullable Autoscaling autoscaling) {
      this.autoscaling = autoscaling;
      return this;
    }

    public Builder security(SecurityOptions security) {
      this.security = security;
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming the bad field. */
    public DeploySpec build() {
      return new DeploySpec(
          deploymentId,
          service,
          image,
          registryAuth,
          replicas,
          env,
          command,
          ports,
          limits,
          domains,
          networkAliases,
          healthCheck,
          strategy,
          rollout,
          autoscaling,
          security);
    }
  }
}
