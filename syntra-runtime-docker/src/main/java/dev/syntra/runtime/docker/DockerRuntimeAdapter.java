package dev.syntra.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.RuntimeEvent;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import dev.syntra.runtime.docker.internal.events.EventWatcher;
import dev.syntra.runtime.docker.internal.exec.ExecRunner;
import dev.syntra.runtime.docker.internal.image.ImagePruner;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.logs.LogReader;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.rollout.Deployer;
import dev.syntra.runtime.docker.internal.rollout.DockerContext;
import dev.syntra.runtime.docker.internal.rollout.DockerSpecs;
import dev.syntra.runtime.docker.internal.rollout.ManagedService;
import dev.syntra.runtime.docker.internal.rollout.Progress;
import dev.syntra.runtime.docker.internal.rollout.ServiceOps;
import dev.syntra.runtime.docker.internal.rollout.ServiceRegistry;
import dev.syntra.runtime.docker.internal.rollout.ServiceStatuses;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.stats.StatsReader;
import dev.syntra.runtime.docker.internal.traefik.CanaryRouting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RuntimeAdapter} on a Docker daemon (Engine API 1.41, so Docker 20.10 and newer) through
 * docker-java's httpclient5 transport.
 *
 * <p>Every replica publishes its ports on ephemeral loopback ports only; the adapter health-checks
 * replicas there and serves each host port a spec publishes ({@link PortMapping#publish()}) with an
 * in-process TCP proxy whose backends it swaps atomically, so rolling and blue-green updates do not
 * drop connections. Proxies live as long as the adapter and are re-created from container labels
 * when an adapter starts; running containers outlive the adapter.
 *
 * <p>Thread-safe: operations on one service are serialised (callers wait), operations on different
 * services run in parallel. Methods block until done. {@link #close()} is idempotent, closes the
 * proxies, event watches and the daemon client, and leaves containers running.
 */
public final class DockerRuntimeAdapter implements RuntimeAdapter {
  private static final Logger log = LoggerFactory.getLogger(DockerRuntimeAdapter.class);

  private final DockerClient docker;
  private final DockerContext ctx;
  private final Deployer deployer;
  private final ServiceOps ops;
  private final LogReader logReader;
  private final ExecRunner execRunner;
  private final StatsReader statsReader;
  private final EventWatcher eventWatcher;
  private final ImagePruner pruner;
  private final ServiceRegistry services;
  private final Set<AutoCloseable> watches = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String settings;

  private DockerRuntimeAdapter(Builder b, DockerClient docker, String daemon) {
    this.docker = docker;
    HealthGate.Sleeper sleeper = d -> Thread.sleep(d);
    HealthGate health =
        new HealthGate(docker, daemon, b.clock, sleeper, b.healthProbePollInterval, b.noCheckGrace);
    DeployHistory history = new DeployHistory(b.stateDir);
    this.ctx =
        new DockerContext(
            docker,
            daemon,
            b.clock,
            sleeper,
            new ReplicaFactory(docker, daemon),
            health,
            new ImagePuller(docker, b.pullTimeout, daemon),
            new ServiceState(docker, daemon, health),
            history,
            new CanaryRouting(b.traefikDir()),
            b.drainTimeout,
            b.stopTimeout,
            b.traefikReloadDelay,
            b.proxyMaxConnections,
            Duration.ofSeconds(2));
    this.deployer = new Deployer(ctx);
    this.ops = new ServiceOps(ctx);
    this.logReader = new LogReader(docker, b.clock);
    this.execRunner = new ExecRunner(docker);
    this.statsReader = new StatsReader(docker, b.clock);
    this.eventWatcher = new EventWatcher(docker, b.clock);
    this.pruner = new ImagePruner(docker, history);
    this.services = new ServiceRegistry(ctx);
    this.settings = b.toString();
  }

  /**
   * A builder with defaults from {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code
   * DOCKER_CERT_PATH}.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String runtimeName() {
    return "docker";
  }

  @Override
  public DeployResult deploy(DeploySpec spec, DeployListener listener) {
    Progress progress = new Progress(spec.service(), spec.deploymentId(), listener);
    Instant started = ctx.clock().instant();
    try {
      DockerSpecs.validate(spec);
    } catch (RuntimeAdapterException e) {
      progress.report(DeployPhase.FAILED, e.getMessage());
      throw e;
    }
    return services.withService(
        spec.service(),
        progress,
        ms -> {
          String digest = deployer.deploy(ms, spec, progress);
          afterSuccess(spec, digest);
          boolean canary = ms.canarySpec() != null;
          String serving = ms.stableId() == null ? spec.deploymentId() : ms.stableId();
          ServiceStatus status = statusAfterSuccess(spec.service(), ms, serving);
          progress.report(
              DeployPhase.RUNNING,
              canary
                  ? "canary "
                      + spec.deploymentId()
                      + " takes "
                      + spec.rollout().canaryWeightPercent()
                      + "% of traffic"
                  : spec.deploymentId() + " serves " + spec.replicas() + " replica(s)");
          return new DeployResult(
              spec.deploymentId(), status, Duration.between(started, ctx.clock().instant()));
        });
  }

  /** Makes the running canary of {@code service} the only version; the old one is retired. */
  public DeployResult promoteCanary(ServiceRef service) {
    return promoteCanary(service, DeployListener.NOOP);
  }

  /** {@link #promoteCanary(ServiceRef)} with progress reporting. */
  public DeployResult promoteCanary(ServiceRef service, DeployListener listener) {
    return endCanary(service, listener, true);
  }

  /** Removes the running canary of {@code service}; all traffic goes to the stable version. */
  public DeployResult abortCanary(ServiceRef service) {
    return abortCanary(service, DeployListener.NOOP);
  }

  /** {@link #abortCanary(ServiceRef)} with progress reporting. */
  public DeployResult abortCanary(ServiceRef service, DeployListener listener) {
    return endCanary(service, listener, false);
  }

  @Override
  public void stop(ServiceRef service) {
    services.run(service, ops::stop);
  }

  @Override
  public void scale(ServiceRef service, int replicas) {
    if (replicas < 0 || replicas > 1000) {
      throw new RuntimeAdapterException.InvalidSpec(
          "replicas: must be between 0 and 1000, was " + replicas);
    }
    services.run(service, ms -> ops.scale(ms, replicas));
  }

  @Override
  public void restart(ServiceRef service) {
    services.run(service, ops::restart);
  }

  @Override
  public LogSubscription logs(ServiceRef service, LogOptions options, Consumer<LogLine> sink) {
    checkOpen();
    List<String> ids = replicasOf(service).stream().map(Replica::id).toList();
    return logReader.read(ids, options, sink);
  }

  @Override
  public ServiceStatus status(ServiceRef service) {
    checkOpen();
    ManagedService ms = services.get(service);
    return statusOf(service, ms, ms != null && ms.busy());
  }

  @Override
  public ExecResult exec(ServiceRef service, List<String> command, ExecOptions options) {
    checkOpen();
    if (command.isEmpty()) {
      throw new RuntimeAdapterException.InvalidSpec("command: must not be empty");
    }
    List<Replica> all = replicasOf(service);
    ManagedService ms = services.get(service);
    String stableId = ServiceState.split(all, ms == null ? null : ms.stableId(), null).stable();
    List<Replica> candidates =
        all.stream()
            .filter(r -> r.running() && r.deploymentId().equals(stableId))
            .filter(r -> options.replica() == null || r.index() == options.replica())
            .toList();
    if (candidates.isEmpty()) {
      throw new RuntimeAdapterException.Conflict(
          options.replica() == null
              ? service + " has no running replica to exec in"
              : service + " has no running replica with index " + options.replica(),
          null);
    }
    return execRunner.run(candidates.get(0).id(), command, options);
  }

  @Override
  public DeployResult rollback(
      ServiceRef service, String targetDeploymentId, String deploymentId, DeployListener listener) {
    checkOpen();
    DeployHistory.Entry entry =
        ctx.history()
            .find(service, targetDeploymentId)
            .orElseThrow(
                () -> new RuntimeAdapterException.DeploymentNotFound(service, targetDeploymentId));
    if (DockerSpecs.deploymentIdTaken(ctx.history(), ctx.state(), service, deploymentId)) {
      throw new RuntimeAdapterException.Conflict(
          service + " already has a deployment " + deploymentId, null);
    }
    DeploySpec spec = DockerSpecs.rollbackSpec(entry, deploymentId);
    log.info(
        "{}: rolling back to {} as {} ({})",
        service,
        targetDeploymentId,
        deploymentId,
        spec.image());
    return deploy(spec, listener);
  }

  @Override
  public List<ContainerMetrics> metrics(ServiceRef service) {
    checkOpen();
    List<ContainerMetrics> out = new ArrayList<>();
    for (Replica r : replicasOf(service)) {
      if (r.running()) {
        out.add(statsReader.sample(r.id(), r.name()));
      }
    }
    return out;
  }

  @Override
  public AutoCloseable watchEvents(Consumer<RuntimeEvent> sink) {
    checkOpen();
    AutoCloseable watch = eventWatcher.watch(sink);
    watches.add(watch);
    return () -> {
      if (watches.remove(watch)) {
        watch.close();
      }
    };
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable w : List.copyOf(watches)) {
      try {
        w.close();
      } catch (Exception e) {
        log.debug("Closing an event watch failed: {}", e.toString());
      }
    }
    watches.clear();
    services.close();
    try {
      docker.close();
    } catch (Exception e) {
      log.debug("Closing the Docker client failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "DockerRuntimeAdapter[" + settings + "]";
  }

  private DeployResult endCanary(ServiceRef service, DeployListener listener, boolean promote) {
    Instant started = ctx.clock().instant();
    return services.withService(
        service,
        null,
        ms -> {
          DeploySpec canary = ms.canarySpec();
          if (canary == null) {
            throw new RuntimeAdapterException.Conflict(
                service + " has no canary in progress", null);
          }
          Progress progress = new Progress(service, canary.deploymentId(), listener);
          if (promote) {
            deployer.promote(ms, progress);
          } else {
            deployer.abort(ms, progress);
          }
          String serving = ms.stableId() == null ? canary.deploymentId() : ms.stableId();
          return new DeployResult(
              serving,
              statusAfterSuccess(service, ms, serving),
              Duration.between(started, ctx.clock().instant()));
        });
  }

  private void afterSuccess(DeploySpec spec, String digest) {
    try {
      ctx.history().record(spec, digest);
    } catch (RuntimeException e) {
      log.error(
          "{}: deployment {} runs but could not be recorded; rollback to it will not work",
          spec.service(),
          spec.deploymentId(),
          e);
    }
    try {
      pruner.prune(spec.service());
    } catch (RuntimeException e) {
      log.warn("{}: pruning old images failed: {}", spec.service(), e.toString());
    }
  }

  /**
   * The status after an operation succeeded; never throws, so that a daemon hiccup while reading it
   * does not turn the success into a failure (a minimal status of {@code deploymentId}, the stable
   * version, without replicas instead).
   */
  private ServiceStatus statusAfterSuccess(
      ServiceRef service, ManagedService ms, String deploymentId) {
    try {
      return statusOf(service, ms, false);
    } catch (RuntimeException e) {
      log.warn(
          "{}: {} runs, but its status cannot be read: {}", service, deploymentId, e.toString());
      return new ServiceStatus(
          service,
          ServiceStatus.State.RUNNING,
          deploymentId,
          Math.max(0, ms.desired()),
          List.of(),
          "status not available: " + e.getMessage());
    }
  }

  private ServiceStatus statusOf(ServiceRef service, @Nullable ManagedService ms, boolean busy) {
    return new ServiceStatuses(ctx.state(), ctx.history()).of(service, ms, busy);
  }

  private List<Replica> replicasOf(ServiceRef service) {
    List<Replica> all = ctx.state().replicas(service);
    if (all.isEmpty()) {
      throw new RuntimeAdapterException.ServiceNotFound(service);
    }
    return all;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new RuntimeAdapterException(RuntimeErrorCode.INTERNAL, "the Docker adapter is closed");
    }
  }

  /**
   * Configures a {@link DockerRuntimeAdapter}. Not thread-safe; {@link #build()} returns an
   * independent adapter each time.
   */
  public static final class Builder {
    private @Nullable URI dockerHost;
    private @Nullable Boolean tlsVerify;
    private @Nullable Path certPath;
    private Path stateDir = Path.of(System.getProperty("user.home"), ".syntra", "docker");
    private @Nullable Path traefikDynamicConfigDir;
    private Clock clock = Clock.systemUTC();
    private Duration healthProbePollInterval = Duration.ofMillis(250);
    private Duration noCheckGrace = Duration.ofSeconds(1);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Duration pullTimeout = Duration.ofMinutes(10);
    private Duration traefikReloadDelay = Duration.ofSeconds(3);
    private int proxyMaxConnections = 4096;
    private boolean recoverOnStart = true;

    private Builder() {}

    /**
     * Daemon address ({@code unix:///var/run/docker.sock}, {@code tcp://host:2376}); default {@code
     * DOCKER_HOST}, else the unix socket.
     */
    public Builder dockerHost(URI dockerHost) {
      this.dockerHost = dockerHost;
      return this;
    }

    /** Verify the daemon's TLS certificate (TCP only); default {@code DOCKER_TLS_VERIFY=1}. */
    public Builder tlsVerify(boolean tlsVerify) {
      this.tlsVerify = tlsVerify;
      return this;
    }

    /**
     * Directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}; default {@code
     * DOCKER_CERT_PATH}, else {@code ~/.docker}.
     */
    public Builder certPath(Path certPath) {
      this.certPath = certPath;
      return this;
    }

    /**
     * Where the deploy history lives (files 0600: specs carry secrets); default {@code
     * ~/.syntra/docker}.
     */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** Traefik file-provider directory for canary weights; default {@code <stateDir>/traefik}. */
    public Builder traefikDynamicConfigDir(Path dir) {
      this.traefikDynamicConfigDir = dir;
      return this;
    }

    /** Time source of deploy durations and health deadlines; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How often a starting replica is probed between the health check's counted intervals; default
     * 250 ms.
     */
    public Builder healthProbePollInterval(Duration interval) {
      this.healthProbePollInterval = positive(interval, "healthProbePollInterval");
      return this;
    }

    /**
     * How long a replica without health check must keep running to count as healthy; default 1 s.
     */
    public Builder noHealthCheckGrace(Duration grace) {
      this.noCheckGrace = positive(grace, "noHealthCheckGrace");
      return this;
    }

    /** Longest wait for proxied connections of a retired replica to end; default 30 s. */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = positive(timeout, "drainTimeout");
      return this;
    }

    /** Grace period of {@code docker stop} before Docker kills a replica; default 10 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = positive(timeout, "stopTimeout");
      return this;
    }

    /** Longest image pull; default 10 min. */
    public Builder pullTimeout(Duration timeout) {
      this.pullTimeout = positive(timeout, "pullTimeout");
      return this;
    }

    /** Wait after rewriting Traefik's canary file before retiring replicas; default 3 s. */
    public Builder traefikReloadDelay(Duration delay) {
      this.traefikReloadDelay = delay.isNegative() ? Duration.ZERO : delay;
      return this;
    }

    /** Open connections per published port before new ones are refused; default 4096. */
    public Builder proxyMaxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("proxyMaxConnections: must be at least 1, was " + max);
      }
      this.proxyMaxConnections = max;
      return this;
    }

    /** Whether {@link #build()} re-opens the published ports of running services; default true. */
    public Builder recoverOnStart(boolean recover) {
      this.recoverOnStart = recover;
      return this;
    }

    /**
     * Creates the adapter. Does not fail when the daemon is down (operations then throw {@link
     * RuntimeAdapterException.Unavailable}).
     */
    public DockerRuntimeAdapter build() {
      URI host = DockerClients.host(dockerHost);
      boolean tls = DockerClients.tlsVerify(tlsVerify);
      Path certs = DockerClients.certPath(certPath);
      DockerRuntimeAdapter adapter =
          new DockerRuntimeAdapter(this, DockerClients.create(host, tls, certs), host.toString());
      if (recoverOnStart) {
        adapter.services.recoverAll();
      }
      return adapter;
    }

    private Path traefikDir() {
      return traefikDynamicConfigDir != null
          ? traefikDynamicConfigDir
          : stateDir.resolve("traefik");
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": must be positive, was " + d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "dockerHost="
          + (dockerHost == null ? "$DOCKER_HOST" : dockerHost)
          + ", stateDir="
          + stateDir
          + ", drainTimeout="
          + drainTimeout
          + ", stopTimeout="
          + stopTimeout
          + ", healthProbePollInterval="
          + healthProbePollInterval
          + ", noHealthCheckGrace="
          + noCheckGrace
          + ", proxyMaxConnections="
          + proxyMaxConnections;
    }
  }
}
