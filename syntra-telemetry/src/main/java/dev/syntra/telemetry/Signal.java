package dev.syntra.telemetry;

import java.util.Locale;

/** The three OpenTelemetry signals. */
public enum Signal {
  TRACES,
  LOGS,
  METRICS;

  /** Lower-case name, as used in metric labels and OTLP/HTTP paths ({@code /v1/traces}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
