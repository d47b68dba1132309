package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.replica.Replica;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traffic.ProxySettings;
import dev.syntra.runtime.docker.internal.traffic.ServiceTraffic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the adapter holds for one service: the lock that serialises operations on it, its published
 * ports ({@link ServiceTraffic}) and what it knows beyond container labels (the stable and canary
 * specs from the deploy history, the desired replica count).
 *
 * <p>Changes happen under {@link #lock()}; the getters may be read without it (for status), and
 * {@link #busy()} and {@link #refreshBackendsSoon()} may be called from any thread.
 */
public final class ManagedService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagedService.class);
  private static final long REFRESH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ServiceRef service;
  private final ServiceState state;
  private final DeployHistory history;
  private final ReplicaFactory factory;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final ServiceTraffic traffic;
  private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - REFRESH_INTERVAL_NANOS);
  private boolean recovered;
  // Volatile: status() reads these without the lock.
  private volatile boolean retired;
  private volatile @Nullable DeploySpec stableSpec;
  private volatile @Nullable String stableId;
  private volatile @Nullable DeploySpec canarySpec;
  private volatile int desired = -1;
  private volatile boolean stoppedOnPurpose;

  /**
   * @param state reads the service's replicas from labels
   * @param history where the specs of its deployments are recorded
   * @param factory stops, removes and inspects its replicas
   * @param proxy how its published ports are served
   */
  public ManagedService(
      ServiceRef service,
      ServiceState state,
      DeployHistory history,
      ReplicaFactory factory,
      ProxySettings proxy) {
    this.service = service;
    this.state = state;
    this.history = history;
    this.factory = factory;
    this.traffic = new ServiceTraffic(service, proxy, s -> refreshBackendsSoon());
  }

  public ServiceRef service() {
    return service;
  }

  public ReentrantLock lock() {
    return lock;
  }

  /** Whether an operation holds the lock now (reported as {@code DEPLOYING}). */
  public boolean busy() {
    return lock.isLocked();
  }

  public ServiceTraffic traffic() {
    return traffic;
  }

  public @Nullable DeploySpec stableSpec() {
    return stableSpec;
  }

  public @Nullable String stableId() {
    return stableId;
  }

  public @Nullable DeploySpec canarySpec() {
    return canarySpec;
  }

  public int desired() {
    return desired;
  }

  public boolean stoppedOnPurpose() {
    return stoppedOnPurpose;
  }

  /** Whether {@link #retire()} was called: the holder must look the service up again. */
  public boolean retired() {
    return retired;
  }

  /** The health check of the stable version, when known. */
  public @Nullable HealthCheck stableHealthCheck() {
    return stableSpec == null ? null : stableSpec.healthCheck();
  }

  /**
   * Reads the service's replicas from the daemon once, re-opens proxies for the host ports the
   * serving replicas publish and restores the canary split. A host port that is taken is logged and
   * skipped. Throws (and retries on the next call) when the daemon cannot be read.
   */
  public void recoverIfNeeded() {
    if (recovered) {
      return;
    }
    List<Replica> all = state.replicas(service);
    ServiceState.Split split = ServiceState.split(all, null, null);
    stableId = split.stable();
    stableSpec = specOf(split.stable());
    canarySpec = specOf(split.canary());
    List<Replica> stable = running(all, split.stable());
    List<Replica> canary = running(all, split.canary());
    Set<HostBinding> bindings = new LinkedHashSet<>();
    for (Replica r : stable) {
      r.published().keySet().forEach(b -> bindings.add(Replica.parseBinding(b)));
    }
    for (HostBinding b : bindings) {
      try {
        traffic.open(List.of(b));
      } catch (RuntimeAdapterException e) {
        log.warn("Cannot serve {} of {} again: {}", b, service, e.getMessage());
      }
    }
    int weight = canarySpec == null ? 10 : canarySpec.rollout().canaryWeightPercent();
    traffic.route(stable, canary, weight);
    desired = stableSpec != null ? stableSpec.replicas() : stableId == null ? -1 : stable.size();
    recovered = true;
    if (!all.isEmpty()) {
      log.info(
          "Recovered {}: stable {} ({} running), canary {}, proxies {}",
          service,
          stableId,
          stable.size(),
          split.canary(),
          traffic.proxies().keySet());
    }
  }

  /** After a successful deploy or promotion: {@code spec} serves alone. */
  public void nowStable(DeploySpec spec) {
    stableSpec = spec;
    stableId = spec.deploymentId();
    canarySpec = null;
    desired = spec.replicas();
    stoppedOnPurpose = false;
  }

  /** After a canary started: {@code spec} takes weighted traffic next to the stable version. */
  public void canaryStarted(DeploySpec spec) {
    canarySpec = spec;
  }

  /** After a canary was aborted. */
  public void canaryEnded() {
    canarySpec = null;
  }

  /** After a scale. */
  public void desired(int replicas) {
    desired = replicas;
    stoppedOnPurpose = replicas == 0;
  }

  /** After stop: the service is forgotten; waiting callers must look it up again. */
  public void retire() {
    retired = true;
    traffic.close();
  }

  /**
   * Takes {@code victims} out of the routing, waits for their proxied connections to end (bounded
   * by the drain timeout), stops them gracefully and, if {@code remove}, removes them.
   */
  public void retire(List<Replica> victims, boolean remove) throws InterruptedException {
    if (victims.isEmpty()) {
      return;
    }
    routeAwayAndDrain(victims);
    for (Replica v : victims) {
      factory.stop(v);
      if (remove) {
        factory.remove(v.id());
      }
    }
  }

  /**
   * {@link #retire(List, boolean)} for a version that no longer serves: never throws; a replica
   * that cannot be stopped or removed is logged and left for the next deploy to remove.
   */
  public void retireQuietly(List<Replica> victims, boolean remove) {
    if (victims.isEmpty()) {
      return;
    }
    try {
      routeAwayAndDrain(victims);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("{}: interrupted while draining {}; stopping them anyway", service, victims);
    } catch (RuntimeException e) {
      log.warn("{}: cannot drain {}: {}", service, victims, e.toString());
    }
    for (Replica v : victims) {
      try {
        factory.stop(v);
        if (remove) {
          factory.remove(v.id());
        }
      } catch (RuntimeException e) {
        log.warn(
            "{}: cannot retire {} (left for the next deploy): {}", service, v.name(), e.toString());
      }
    }
  }

  private void routeAwayAndDrain(List<Replica> victims) throws InterruptedException {
    Set<String> ids = new LinkedHashSet<>();
    victims.forEach(v -> ids.add(v.id()));
    traffic.route(
        traffic.stable().stream().filter(r -> !ids.contains(r.id())).toList(),
        traffic.canary().stream().filter(r -> !ids.contains(r.id())).toList(),
        traffic.canaryWeightPercent());
    if (!traffic.drain(victims)) {
      log.info(
          "{}: connections to {} still open after the drain timeout; stopping anyway",
          service,
          ids);
    }
  }

  /** Removes containers that take no traffic (stopped leftovers), without draining. */
  public void removeAll(List<Replica> replicas) {
    for (Replica r : replicas) {
      factory.remove(r.id());
    }
  }

  /** {@link #removeAll} that never throws: a container it cannot remove is logged and left. */
  public void removeAllQuietly(List<Replica> replicas) {
    for (Replica r : replicas) {
      try {
        factory.remove(r.id());
      } catch (RuntimeException e) {
        log.warn(
            "{}: cannot remove {} (left for the next deploy): {}", service, r.name(), e.toString());
      }
    }
  }

  /**
   * Called by a proxy when a backend refused a connection (e.g. Docker restarted the replica on a
   * new loopback port): re-reads the routed replicas' ports, at most once a second, unless an
   * operation holds the lock (it routes anyway).
   */
  public void refreshBackendsSoon() {
    long now = System.nanoTime();
    long last = lastRefresh.get();
    if (now - last < REFRESH_INTERVAL_NANOS || !lastRefresh.compareAndSet(last, now)) {
      return;
    }
    Thread.ofVirtual().name("syntra-proxy-refresh-" + service).start(this::refreshBackends);
  }

  private void refreshBackends() {
    if (!lock.tryLock()) {
      return;
    }
    try {
      if (retired) {
        return;
      }
      Map<String, Replica> fresh = new HashMap<>();
      List<Replica> routed = new ArrayList<>(traffic.stable());
      routed.addAll(traffic.canary());
      for (Replica r : routed) {
        try {
          fresh.put(r.id(), factory.inspect(r.id()));
        } catch (RuntimeAdapterException e) {
          log.debug("{}: cannot refresh {}: {}", service, r.name(), e.getMessage());
        }
      }
      traffic.refresh(fresh);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      log.warn("{}: refreshing proxy backends failed", service, t);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    traffic.close();
  }

  private @Nullable DeploySpec specOf(@Nullable String deploymentId) {
    if (deploymentId == null) {
      return null;
    }
    try {
      // An entry without its secrets must never start replicas (they would run without env).
      return history
          .find(service, deploymentId)
          .filter(e -> !e.secretsRemoved())
          .map(DeployHistory.Entry::spec)
          .orElse(null);
    } catch (RuntimeException e) {
      log.warn("{}: cannot read the deploy history of {}: {}", service, deploymentId, e.toString());
      return null;
    }
  }

  static List<Replica> running(List<Replica> all, @Nullable String deploymentId) {
    if (deploymentId == null) {
      return List.of();
    }
    return all.stream().filter(r -> r.deploymentId().equals(deploymentId) && r.running()).toList();
  }
}
