package dev.syntra.telemetry.sampling;

import dev.syntra.telemetry.Signal;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters by signal and outcome; thread-safe. */
final class OutcomeCounters {
  private static final int OUTCOMES = SamplingOutcome.values().length;
  private final AtomicLongArray counts = new AtomicLongArray(Signal.values().length * OUTCOMES);

  void add(Signal signal, SamplingOutcome outcome, long items) {
    if (items != 0) {
      counts.addAndGet(signal.ordinal() * OUTCOMES + outcome.ordinal(), items);
    }
  }

  Map<Signal, Map<SamplingOutcome, Long>> snapshot() {
    Map<Signal, Map<SamplingOutcome, Long>> result = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      Map<SamplingOutcome, Long> bySignal = new EnumMap<>(SamplingOutcome.class);
      for (SamplingOutcome outcome : SamplingOutcome.values()) {
        bySignal.put(outcome, counts.get(signal.ordinal() * OUTCOMES + outcome.ordinal()));
      }
      result.put(signal, Map.copyOf(bySignal));
    }
    return result;
  }
}
