package dev.syntra.server.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the telemetry ingest counts, as Prometheus metrics: {@code
 * syntra_telemetry_frames_total{outcome}} (received, stored, duplicate, rejected, throttled,
 * failed), {@code syntra_telemetry_bytes_total{outcome}} (received, stored) and the gauges {@code
 * syntra_telemetry_ingest_queued_frames} and {@code syntra_telemetry_ingest_queued_bytes}.
 */
final class TelemetryMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> frames = new ConcurrentHashMap<>();
  private final Map<String, Counter> bytes = new ConcurrentHashMap<>();

  TelemetryMetrics(MeterRegistry registry, IngestBudget queued) {
    this.registry = registry;
    registry.gauge("syntra.telemetry.ingest.queued.frames", queued, IngestBudget::frames);
    registry.gauge("syntra.telemetry.ingest.queued.bytes", queued, IngestBudget::bytes);
  }

  void frame(String outcome) {
    frames
        .computeIfAbsent(outcome, o -> registry.counter("syntra.telemetry.frames", "outcome", o))
        .increment();
  }

  void bytes(String outcome, long count) {
    bytes
        .computeIfAbsent(outcome, o -> registry.counter("syntra.telemetry.bytes", "outcome", o))
        .increment(count);
  }
}
