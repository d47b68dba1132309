package dev.syntra.server.service;

import dev.syntra.protocol.message.TelemetrySettings;

/**
 * A service's telemetry configuration: what its agent is told ({@code configure_telemetry}) and
 * whether its deploys get the {@code OTEL_*} environment.
 *
 * @param settings sampling, rate limits and Prometheus scrape, sent to the agent as they are
 * @param otelInject whether deploys inject {@code OTEL_SERVICE_NAME}, {@code
 *     OTEL_RESOURCE_ATTRIBUTES} and the exporter endpoint (the operator's {@code
 *     SYNTRA_OTEL_INJECT=false} turns it off for every service)
 */
public record TelemetryConfig(TelemetrySettings settings, boolean otelInject) {
  /** What a service that was never configured uses. */
  public static final TelemetryConfig DEFAULTS =
      new TelemetryConfig(TelemetrySettings.DEFAULTS, true);

  public TelemetryConfig {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
  }
}
