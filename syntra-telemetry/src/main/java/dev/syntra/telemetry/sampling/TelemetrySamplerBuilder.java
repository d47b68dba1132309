package dev.syntra.telemetry.sampling;

import dev.syntra.telemetry.pipeline.TelemetryIntake;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds a {@link TelemetrySampler}; every setting has a default. Not thread-safe. */
public final class TelemetrySamplerBuilder {
  final TelemetryIntake next;
  SamplingPolicies policies = SamplingPolicies.DEFAULT;
  Duration decisionWindow = Duration.ofSeconds(10);
  int pendingMaxBytes = 8 * 1024 * 1024;
  Duration erroredRetention = Duration.ofMinutes(5);
  int maxErroredTraces = 50_000;
  int maxServices = 1024;
  Clock clock = Clock.systemUTC();

  TelemetrySamplerBuilder(TelemetryIntake next) {
    this.next = Objects.requireNonNull(next, "next");
  }

  /** Default and per-service policies; default {@link SamplingPolicies#DEFAULT}. */
  public TelemetrySamplerBuilder policies(SamplingPolicies value) {
    this.policies = Objects.requireNonNull(value, "policies");
    return this;
  }

  /**
   * How long spans of a trace not (yet) kept are held after the trace's last span, waiting for an
   * error in the trace; default 10 s.
   */
  public TelemetrySamplerBuilder decisionWindow(Duration value) {
    this.decisionWindow = positive("decisionWindow", value);
    return this;
  }

  /**
   * Size of the ring that holds serialized spans for the decision window, allocated on first use;
   * default 8 MiB, at least 64 KiB. The index of held traces adds roughly a fifth of it at most.
   */
  public TelemetrySamplerBuilder pendingMaxBytes(int value) {
    if (value < 64 * 1024) {
      throw new IllegalArgumentException("pendingMaxBytes: must be at least 65536, got " + value);
    }
    this.pendingMaxBytes = value;
    return this;
  }

  /**
   * How long a trace id is remembered as containing an error after its last error; default 5 min.
   */
  public TelemetrySamplerBuilder erroredRetention(Duration value) {
    this.erroredRetention = positive("erroredRetention", value);
    return this;
  }

  /** How many errored trace ids are remembered at most; default 50,000 (about 5 MiB). */
  public TelemetrySamplerBuilder maxErroredTraces(int value) {
    this.maxErroredTraces = atLeastOne("maxErroredTraces", value);
    return this;
  }

  /**
   * How many services' limits are tracked at most (least recently seen forgotten); default 1024.
   */
  public TelemetrySamplerBuilder maxServices(int value) {
    this.maxServices = atLeastOne("maxServices", value);
    return this;
  }

  /** The clock for windows and rates; default the system UTC clock. */
  public TelemetrySamplerBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  public TelemetrySampler build() {
    return new TelemetrySampler(this);
  }

  @Override
  public String toString() {
    return "decisionWindow="
        + decisionWindow
        + ", pendingMaxBytes="
        + pendingMaxBytes
        + ", erroredRetention="
        + erroredRetention
        + ", maxErroredTraces="
        + maxErroredTraces
        + ", maxServices="
        + maxServices
        + ", policies="
        + policies;
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
    return value;
  }

  private static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": must be at least 1, got " + value);
    }
    return value;
  }
}
