package dev.syntra.server.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the hub counts, as Prometheus metrics: {@code syntra_hub_sessions}, {@code
 * syntra_hub_hellos_total{outcome}}, {@code syntra_hub_heartbeats_total}, {@code
 * syntra_hub_commands_sent_total}, {@code syntra_hub_dropped_total{reason}} and {@code
 * syntra_hub_refused_total{limit}} (connections closed at accept: {@code per_address} or {@code
 * total} connection cap).
 */
final class HubMetrics {
  private final MeterRegistry registry;
  private final Counter heartbeats;
  private final Counter commandsSent;
  private final Map<String, Counter> hellos = new ConcurrentHashMap<>();
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();

  HubMetrics(MeterRegistry registry, Supplier<Number> sessions) {
    this.registry = registry;
    registry.gauge("syntra.hub.sessions", sessions, s -> s.get().doubleValue());
    heartbeats = registry.counter("syntra.hub.heartbeats");
    commandsSent = registry.counter("syntra.hub.commands.sent");
  }

  void hello(String outcome) {
    hellos
        .computeIfAbsent(outcome, o -> registry.counter("syntra.hub.hellos", "outcome", o))
        .increment();
  }

  void heartbeat() {
    heartbeats.increment();
  }

  void commandsSent(int count) {
    commandsSent.increment(count);
  }

  void dropped(String reason) {
    dropped
        .computeIfAbsent(reason, r -> registry.counter("syntra.hub.dropped", "reason", r))
        .increment();
  }

  void refused(String limit) {
    refused
        .computeIfAbsent(limit, l -> registry.counter("syntra.hub.refused", "limit", l))
        .increment();
  }
}
