package dev.syntra.runtime.docker.internal.traffic;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.replica.Replica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published host ports of one service: one {@link PortProxy} per {@link HostBinding}, and which
 * replicas take traffic (stable ones, plus canaries with a weight). Replicas are matched to a proxy
 * through the bindings recorded in their {@code syntra.publish} label, so old and new versions may
 * listen on different container ports behind one host port.
 *
 * <p>Not thread-safe on its own: the adapter calls it under the service's lock. Proxies themselves
 * are thread-safe and keep serving while it is changed.
 */
public final class ServiceTraffic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceTraffic.class);

  private final ServiceRef service;
  private final ProxySettings settings;
  private final Consumer<ServiceRef> onUnreachable;
  private final Map<HostBinding, PortProxy> proxies = new LinkedHashMap<>();
  private List<Replica> stable = List.of();
  private List<Replica> canary = List.of();
  private int canaryWeightPercent;
  // Volatile: the adapter's close() may set it while an operation still runs.
  private volatile boolean closed;

  public ServiceTraffic(
      ServiceRef service, ProxySettings settings, Consumer<ServiceRef> onUnreachable) {
    this.service = service;
    this.settings = settings;
    this.onUnreachable = onUnreachable;
  }

  /**
   * Opens proxies for the bindings not served yet.
   *
   * @return the bindings it opened (close them with {@link #closeOnly} if the operation fails)
   * @throws RuntimeAdapterException.Conflict if a port is taken; the proxies opened by this call
   *     are closed again first
   * @throws RuntimeAdapterException with {@link RuntimeErrorCode#INTERNAL} once closed
   */
  public List<HostBinding> open(Collection<HostBinding> bindings) {
    if (closed) {
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL, "the proxies of " + service + " are closed");
    }
    List<HostBinding> opened = new ArrayList<>();
    try {
      for (HostBinding b : bindings) {
        if (!proxies.containsKey(b)) {
          proxies.put(
              b,
              PortProxy.open(
                  b,
                  settings.maxConnections(),
                  settings.connectTimeout(),
                  x -> onUnreachable.accept(service)));
          opened.add(b);
        }
      }
    } catch (RuntimeException e) {
      closeOnly(opened);
      throw e;
    }
    return opened;
  }

  /** Routes new connections to {@code stableReplicas} only. */
  public void route(List<Replica> stableReplicas) {
    route(stableReplicas, List.of(), 0);
  }

  /**
   * Routes new connections: {@code weightPercent} of them to the canaries (when there are any), the
   * rest to the stable replicas, evenly within each group.
   */
  public void route(List<Replica> stableReplicas, List<Replica> canaries, int weightPercent) {
    this.stable = List.copyOf(stableReplicas);
    this.canary = List.copyOf(canaries);
    this.canaryWeightPercent = weightPercent;
    apply();
  }

  /** Re-applies the routing with fresh facts about the routed replicas (e.g. new ports). */
  public void refresh(Map<String, Replica> freshById) {
    stable = stable.stream().map(r -> freshById.getOrDefault(r.id(), r)).toList();
    canary = canary.stream().map(r -> freshById.getOrDefault(r.id(), r)).toList();
    apply();
  }

  /** Replicas taking stable traffic now. */
  public List<Replica> stable() {
    return stable;
  }

  /** Canary replicas taking weighted traffic now. */
  public List<Replica> canary() {
    return canary;
  }

  /** The canary's share of new connections, in percent (0 without canaries). */
  public int canaryWeightPercent() {
    return canary.isEmpty() ? 0 : canaryWeightPercent;
  }

  /**
   * Waits until none of {@code replicas} has an open proxied connection, for at most the drain
   * timeout in total. Call after routing them away.
   *
   * @return true if all drained in time
   */
  public boolean drain(Collection<Replica> replicas) throws InterruptedException {
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    boolean all = true;
    for (PortProxy proxy : proxies.values()) {
      for (Replica r : replicas) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        all &= proxy.drain(r.name(), left);
      }
    }
    return all;
  }

  /** The proxies serving this service, by binding. */
  public Map<HostBinding, PortProxy> proxies() {
    return Map.copyOf(proxies);
  }

  /** Closes the proxies of the given bindings. */
  public void closeOnly(Collection<HostBinding> bindings) {
    for (HostBinding b : bindings) {
      PortProxy p = proxies.remove(b);
      if (p != null) {
        p.close();
      }
    }
  }

  /** Closes every proxy whose binding is not in {@code keep}. */
  public void retainOnly(Set<HostBinding> keep) {
    List<HostBinding> drop = new ArrayList<>();
    for (HostBinding b : proxies.keySet()) {
      if (!keep.contains(b)) {
        drop.add(b);
      }
    }
    closeOnly(drop);
  }

  /** Closes every proxy; idempotent. No proxy can be opened afterwards. */
  @Override
  public void close() {
    closed = true;
    closeOnly(new ArrayList<>(proxies.keySet()));
    stable = List.of();
    canary = List.of();
  }

  private void apply() {
    for (var e : proxies.entrySet()) {
      HostBinding binding = e.getKey();
      List<PortProxy.Backend> stableBackends = backends(binding, stable);
      List<PortProxy.Backend> canaryBackends = backends(binding, canary);
      List<PortProxy.Backend> all = new ArrayList<>();
      if (canaryBackends.isEmpty() || stableBackends.isEmpty()) {
        all.addAll(stableBackends);
        all.addAll(canaryBackends);
      } else {
        int w = canaryWeightPercent;
        int stableWeight = (100 - w) * canaryBackends.size();
        int canaryWeight = w * stableBackends.size();
        stableBackends.forEach(b -> all.add(new PortProxy.Backend(b.id(), b.port(), stableWeight)));
        canaryBackends.forEach(b -> all.add(new PortProxy.Backend(b.id(), b.port(), canaryWeight)));
      }
      e.getValue().setBackends(all);
      log.debug("{} on {} now routes to {}", service, binding, all);
    }
  }

  private static List<PortProxy.Backend> backends(HostBinding binding, List<Replica> replicas) {
    List<PortProxy.Backend> out = new ArrayList<>();
    for (Replica r : replicas) {
      OptionalInt port = r.backendPortFor(binding);
      if (port.isPresent()) {
        out.add(new PortProxy.Backend(r.name(), port.getAsInt(), 1));
      }
    }
    return out;
  }
}
