package dev.syntra.telemetry.sampling;

import dev.syntra.telemetry.Signal;
import java.util.Map;

/**
 * The sampler's counters at one moment: items by signal and outcome since start (spans, log
 * records, metric points), what is held waiting for a decision (traces, spans, bytes), how many
 * trace ids are remembered as containing an error, and each known service's effective trace ratio
 * (lower than its policy while the service is above its span ceiling).
 */
public record SamplerSnapshot(
    Map<Signal, Map<SamplingOutcome, Long>> counts,
    long pendingTraces,
    long pendingSpans,
    long pendingBytes,
    long erroredTraces,
    Map<String, Double> effectiveTraceRatios) {

  public SamplerSnapshot {
    counts = Map.copyOf(counts);
    effectiveTraceRatios = Map.copyOf(effectiveTraceRatios);
  }

  /** The count for one signal and outcome (0 when none). */
  public long count(Signal signal, SamplingOutcome outcome) {
    Map<SamplingOutcome, Long> bySignal = counts.get(signal);
    Long value = bySignal == null ? null : bySignal.get(outcome);
    return value == null ? 0 : value;
  }
}
