package dev.syntra.runtime.k8s;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.k8s.internal.Cluster;
import dev.syntra.runtime.k8s.internal.ExecRunner;
import dev.syntra.runtime.k8s.internal.KubernetesRollout;
import dev.syntra.runtime.k8s.internal.LogReader;
import dev.syntra.runtime.k8s.internal.MetricsReader;
import dev.syntra.runtime.k8s.internal.Names;
import dev.syntra.runtime.k8s.internal.PodState;
import dev.syntra.runtime.k8s.internal.Progress;
import dev.syntra.runtime.k8s.internal.Records;
import dev.syntra.runtime.k8s.internal.RolloutWaiter;
import dev.syntra.runtime.k8s.internal.Routing;
import dev.syntra.runtime.k8s.internal.ServiceOps;
import dev.syntra.runtime.k8s.internal.StatusReader;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link RuntimeAdapter} on Kubernetes over the fabric8 client. Each project is a namespace {@code
 * syn-{organization}-{project}} (shortened with a hash beyond 63 characters) with a NetworkPolicy;
 * each service is a Deployment per slot ({@code {service}-blue}/{@code -green}), a Service, routing
 * (Traefik IngressRoute + weighted TraefikService, or a plain Ingress), an HPA when it autoscales,
 * and one record Secret per deployment (env values and the deploy command, for rollback). Every
 * object carries {@code syntra.*} labels and the adapter changes no object without {@code
 * syntra.managed=true}.
 *
 * <p>Thread-safe. Operations on one service are serialised by a per-service lock ({@link #status}
 * does not wait and reports {@code DEPLOYING} meanwhile); different services run in parallel.
 * Everything throws only {@link RuntimeAdapterException}. {@link #close()} closes the client if the
 * adapter created it; services keep running.
 */
public final class KubernetesRuntimeAdapter implements RuntimeAdapter {
  /** Labels of the Traefik pods as its Helm chart and k3s set them. */
  public static final Map<String, String> DEFAULT_INGRESS_CONTROLLER_PODS =
      Map.of("app.kubernetes.io/name", "traefik");

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final Cluster cluster;
  private final StatusReader statusReader;
  private final KubernetesRollout rollout;
  private final ServiceOps ops;
  private final Records records;
  private final LogReader logs;
  private final ExecRunner execs;
  private final MetricsReader metrics;
  private final Clock clock;
  private final Map<ServiceRef, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private KubernetesRuntimeAdapter(Builder b, KubernetesClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.clock = b.clock;
    this.cluster = new Cluster(client, b.networkPolicy ? b.ingressControllerPods : null);
    RolloutWaiter waiter = new RolloutWaiter(cluster, clock, b.pollInterval, b.rolloutTimeout);
    this.statusReader = new StatusReader(cluster, clock);
    this.records = new Records(cluster, clock);
    Routing routing = new Routing(cluster, b.certResolver);
    this.rollout =
        new KubernetesRollout(
            cluster, records, routing, waiter, statusReader, clock, b.stopTimeout);
    this.ops = new ServiceOps(cluster, rollout, waiter, clock, b.stopTimeout);
    this.logs = new LogReader(cluster, clock);
    this.execs = new ExecRunner(cluster, clock);
    this.metrics = new MetricsReader(cluster, clock);
  }

  /** A builder; give it a client or a config, or it uses fabric8's auto-configuration. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String runtimeName() {
    return "kubernetes";
  }

  /** The API server this adapter talks to. */
  public String apiUrl() {
    return String.valueOf(client.getMasterUrl());
  }

  @Override
  public DeployResult deploy(DeploySpec spec, DeployListener listener) {
    Objects.requireNonNull(spec, "spec");
    Progress progress = new Progress(listener, spec.service() + " " + spec.deploymentId());
    return locked(spec.service(), () -> rollout.deploy(spec, progress));
  }

  @Override
  public void stop(ServiceRef service) {
    locked(
        service,
        () -> {
          ops.stop(service);
          return null;
        });
  }

  @Override
  public void scale(ServiceRef service, int replicas) {
    locked(
        service,
        () -> {
          ops.scale(service, replicas);
          return null;
        });
  }

  @Override
  public void restart(ServiceRef service) {
    locked(
        service,
        () -> {
          ops.restart(service);
          return null;
        });
  }

  @Override
  public LogSubscription logs(ServiceRef service, LogOptions options, Consumer<LogLine> sink) {
    Names.validate(service);
    List<Pod> pods = existingPods(service);
    return logs.read(service, pods, options, sink);
  }

  @Override
  public ServiceStatus status(ServiceRef service) {
    Names.validate(service);
    ReentrantLock lock = locks.get(service);
    return statusReader.read(service, lock != null && lock.isLocked());
  }

  @Override
  public ExecResult exec(ServiceRef service, List<String> command, ExecOptions options) {
    if (command.isEmpty()) {
      throw new RuntimeAdapterException.InvalidSpec("command: must name a program to run");
    }
    Names.validate(service);
    List<Pod> running =
        existingPods(service).stream().filter(p -> new PodState(p).running()).toList();
    if (running.isEmpty()) {
      throw new RuntimeAdapterException.Conflict("no replica of " + service + " is running", null);
    }
    Pod pod;
    Integer replica = options.replica();
    if (replica == null) {
      pod =
          running.stream()
              .filter(p -> new PodState(p).ready())
              .findFirst()
              .orElse(running.getFirst());
    } else if (replica < running.size()) {
      pod = running.get(replica);
    } else {
      throw new RuntimeAdapterException.InvalidSpec(
          "replica: "
              + replica
              + " does not exist; "
              + service
              + " runs "
              + running.size()
              + " replicas (0-based)");
    }
    return execs.exec(service, pod.getMetadata().getName(), command, options);
  }

  @Override
  public DeployResult rollback(
      ServiceRef service, String targetDeploymentId, String deploymentId, DeployListener listener) {
    Names.validate(service);
    DeploySpec target =
        records
            .find(service, targetDeploymentId)
            .orElseThrow(
                () -> new RuntimeAdapterException.DeploymentNotFound(service, targetDeploymentId));
    if (records.exists(service, deploymentId)) {
      throw new RuntimeAdapterException.Conflict(
          "deployment id " + deploymentId + " is already used by " + service, null);
    }
    DeploySpec spec =
        new DeploySpec(
            deploymentId,
            target.service(),
            target.image(),
            target.registryAuth(),
            target.replicas(),
            target.env(),
            target.command(),
            target.ports(),
            target.limits(),
            target.domains(),
            target.networkAliases(),
            target.healthCheck(),
            target.strategy() == DeployStrategy.CANARY ? DeployStrategy.ROLLING : target.strategy(),
            target.rollout(),
            target.autoscaling(),
            target.security());
    return deploy(spec, listener);
  }

  @Override
  public List<ContainerMetrics> metrics(ServiceRef service) {
    Names.validate(service);
    List<Pod> running =
        existingPods(service).stream().filter(p -> new PodState(p).running()).toList();
    return running.isEmpty() ? List.of() : metrics.read(service, running);
  }

  /** Gives a running canary all traffic and the full replica count, and retires the old version. */
  public void promoteCanary(ServiceRef service, DeployListener listener) {
    Progress progress = new Progress(listener, service + " canary promotion");
    locked(
        service,
        () -> {
          rollout.promoteCanary(service, progress);
          return null;
        });
  }

  /** Removes a running canary; the stable version gets all traffic again. */
  public void abortCanary(ServiceRef service) {
    locked(
        service,
        () -> {
          var canary =
              cluster
                  .canary(service)
                  .orElseThrow(() ->
                      new RuntimeAdapterException.Conflict(
                          service + " has no running canary", null));
          rollout.abortCanary(service, canary);
          return null;
        });
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "KubernetesRuntimeAdapter[api=" + client.getMasterUrl() + "]";
  }

  private List<Pod> existingPods(ServiceRef service) {
    if (cluster.deployments(service).isEmpty()) {
      throw new RuntimeAdapterException.ServiceNotFound(service);
    }
    return cluster.pods(service, null);
  }

  private <T> T locked(ServiceRef service, Supplier<T> action) {
    if (closed.get()) {
      throw new IllegalStateException("the adapter is closed");
    }
    ReentrantLock lock = locks.computeIfAbsent(service, s -> new ReentrantLock(true));
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** Settings of a {@link KubernetesRuntimeAdapter}; not thread-safe. */
  public static final class Builder {
    private @Nullable KubernetesClient client;
    private @Nullable Config config;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration rolloutTimeout = Duration.ofMinutes(10);
    private Duration stopTimeout = Duration.ofSeconds(60);
    private String certResolver = "letsencrypt";
    private boolean networkPolicy = true;
    private Map<String, String> ingressControllerPods = DEFAULT_INGRESS_CONTROLLER_PODS;

    private Builder() {}

    /**
     * Whether each project namespace gets the NetworkPolicy {@code syntra-isolation} that admits
     * connections to Syntra's pods only from the same namespace and from the ingress controller's
     * pods; default true.
     */
    public Builder networkPolicy(boolean networkPolicy) {
      this.networkPolicy = networkPolicy;
      return this;
    }

    /**
     * Labels of the ingress controller's pods (in any namespace) that the NetworkPolicy admits;
     * default {@code app.kubernetes.io/name=traefik}, as the Traefik Helm chart and k3s set them.
     */
    public Builder ingressControllerPods(Map<String, String> labels) {
      if (labels.isEmpty()) {
        throw new IllegalArgumentException(
            "ingressControllerPods: needs at least one label (an empty selector would admit every"
                + " pod of the cluster); use networkPolicy(false) for no policy");
      }
      this.ingressControllerPods = Map.copyOf(labels);
      return this;
    }

    /** Uses {@code client} (not closed by the adapter). */
    public Builder client(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Creates a client (JDK HTTP) from {@code config}; closed with the adapter. */
    public Builder config(Config config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** How often rollouts are polled; default 500 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long a rollout may take before {@code Timeout}; default 10 min. */
    public Builder rolloutTimeout(Duration rolloutTimeout) {
      this.rolloutTimeout = positive(rolloutTimeout, "rolloutTimeout");
      return this;
    }

    /** How long stop waits for pods to go; default 60 s. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = positive(stopTimeout, "stopTimeout");
      return this;
    }

    /** Traefik certificate resolver for TLS on domains; default {@code letsencrypt}. */
    public Builder certResolver(String certResolver) {
      if (!certResolver.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("certResolver: must be 1-64 of [A-Za-z0-9_-]");
      }
      this.certResolver = certResolver;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the adapter; does not contact the API server. */
    public KubernetesRuntimeAdapter build() {
      if (client != null) {
        return new KubernetesRuntimeAdapter(this, client, false);
      }
      KubernetesClientBuilder kb =
          new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory());
      if (config != null) {
        kb.withConfig(config);
      }
      return new KubernetesRuntimeAdapter(this, kb.build(), true);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": must be positive");
      }
      return d;
    }
  }
}
