package dev.syntra.telemetry.sampling;

import java.util.Locale;

/** What the sampler did with an item; the label of its counters. */
public enum SamplingOutcome {
  /** Passed on to the next stage (counted once the next stage took it). */
  KEPT,
  /** Not kept by the trace ratio and no error arrived within the decision window: not a loss. */
  SAMPLED_OUT,
  /** Dropped above the service's span or log ceiling (or its adapted ratio). */
  RATE_LIMITED,
  /** Held for the decision window but pushed out early because the held bytes hit their bound. */
  EVICTED;

  /** Lower-case name, as used in metric labels ({@code sampled_out}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
