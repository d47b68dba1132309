package dev.syntra.telemetry.pipeline;

import dev.syntra.telemetry.TelemetryChunk;

/**
 * A stage that takes telemetry: enrichment, sampling and the buffer each implement it and wrap the
 * next one, and the OTLP receivers and collectors hand their data to the first.
 *
 * <p>Hot path: never throws, never blocks on I/O beyond a spool append; thread-safe.
 */
@FunctionalInterface
public interface TelemetryIntake {
  /**
   * Takes {@code chunk} (or the part of it this stage keeps) and says what happened to it. Items a
   * stage decides not to keep by policy (sampling) are accepted, not rejected.
   */
  IntakeResult accept(TelemetryChunk chunk);
}
