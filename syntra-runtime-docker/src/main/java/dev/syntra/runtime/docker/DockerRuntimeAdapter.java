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
import dev.syntra.runtime.docker.internal.events.EventWatcher;
import dev.syntra.runtime.docker.internal.exec.ExecRunner;
import dev.syntra.runtime.docker.internal.image.ImagePruner;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.logs.LogReader;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.ProjectNetworks;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.rollout.DockerRollout;
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
import dev.syntra.runtime.docker.internal.traefik.TraefikLabels;
import dev.syntra.runtime.docker.internal.traffic.ProxySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
  private static final Duration PROXY_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final DockerClient docker;
  private final Clock clock;
  private final DeployHistory history;
  private final ServiceState state;
  private final ServiceStatuses statuses;
  private final DockerRollout rollout;
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

  /** Wires the collaborators; called by {@link DockerRuntimeAdapterBuilder#build()}. */
  DockerRuntimeAdapter(DockerRuntimeAdapterBuilder b, DockerClient docker, String daemon) {
    this.docker = docker;
    this.clock = b.clock;
    HealthGate health =
        new HealthGate(
            docker,
            daemon,
            b.clock,
            d -> Thread.sleep(d),
            b.healthProbePollInterval,
            b.noCheckGrace);
    ProjectNetworks networks = new ProjectNetworks(docker, daemon, b.traefikContainer);
    ReplicaFactory factory = new ReplicaFactory(docker, daemon, b.stopTimeout, networks);
    ImagePuller puller = new ImagePuller(docker, b.pullTimeout, daemon);
    CanaryRouting canaryRouting =
        new CanaryRouting(
            b.traefikDir(), TraefikLabels.DEFAULT_CERT_RESOLVER, b.traefikReloadDelay);
    ProxySettings proxy =
        new ProxySettings(b.proxyMaxConnections, PROXY_CONNECT_TIMEOUT, b.drainTimeout);
    this.history = new DeployHistory(b.stateDir);
    this.state = new ServiceState(docker, daemon, health);
    this.statuses = new ServiceStatuses(state, history);
    this.rollout = new DockerRollout(puller, state, factory, health, canaryRouting, daemon);
    this.ops = new ServiceOps(state, factory, health, canaryRouting, puller, networks);
    this.logReader = new LogReader(docker, b.clock);
    this.execRunner = new ExecRunner(docker);
    this.statsReader = new StatsReader(docker, b.clock);
    this.eventWatcher = new EventWatcher(docker, b.clock);
    this.pruner = new ImagePruner(docker, history);
    this.services =
        new ServiceRegistry(
            state, daemon, s -> new ManagedService(s, state, history, factory, proxy));
    this.settings = b.toString();
  }

  /**
   * A builder with defaults from {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code
   * DOCKER_CERT_PATH}.
   */
  public static DockerRuntimeAdapterBuilder builder() {
    return new DockerRuntimeAdapterBuilder();
  }

  @Override
  public String runtimeName() {
    return "docker";
  }

  @Override
  public DeployResult deploy(DeploySpec spec, DeployListener listener) {
    Progress progress = new Progress(spec.service(), spec.deploymentId(), listener);
    Instant started = clock.instant();
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
          String digest = rollout.deploy(ms, spec, progress);
          afterSuccess(spec, digest, ms);
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
              spec.deploymentId(), status, Duration.between(started, clock.instant()));
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
        history
            .find(service, targetDeploymentId)
            .orElseThrow(
                () -> new RuntimeAdapterException.DeploymentNotFound(service, targetDeploymentId));
    if (entry.secretsRemoved()) {
      throw DeployHistory.secretsRemoved(service, targetDeploymentId);
    }
    if (DockerSpecs.deploymentIdTaken(history, state, service, deploymentId)) {
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

  /** Re-opens the published ports of the running services this agent deployed (on build). */
  void recoverAll() {
    services.recoverAll(Set.copyOf(history.services()));
  }

  @Override
  public String toString() {
    return "DockerRuntimeAdapter[" + settings + "]";
  }

  private DeployResult endCanary(ServiceRef service, DeployListener listener, boolean promote) {
    Instant started = clock.instant();
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
            rollout.promote(ms, progress);
          } else {
            rollout.abort(ms, progress);
          }
          String serving = ms.stableId() == null ? canary.deploymentId() : ms.stableId();
          return new DeployResult(
              serving,
              statusAfterSuccess(service, ms, serving),
              Duration.between(started, clock.instant()));
        });
  }

  private void afterSuccess(DeploySpec spec, String digest, ManagedService ms) {
    Set<String> serving = new HashSet<>();
    if (ms.stableId() != null) {
      serving.add(ms.stableId());
    }
    DeploySpec canary = ms.canarySpec();
    if (canary != null) {
      serving.add(canary.deploymentId());
    }
    try {
      history.record(spec, digest, serving);
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
    return statuses.of(service, ms, busy);
  }

  private List<Replica> replicasOf(ServiceRef service) {
    List<Replica> all = state.replicas(service);
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
}
