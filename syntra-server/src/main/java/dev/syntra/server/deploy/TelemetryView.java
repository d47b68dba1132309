package dev.syntra.server.deploy;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.server.service.TelemetryConfig;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A service's telemetry configuration as the API shows it.
 *
 * @param otelInjected whether the next deploy injects the {@code OTEL_*} environment: the service's
 *     {@code otel_inject} and the operator's {@code SYNTRA_OTEL_INJECT} together
 * @param commandId the {@code configure_telemetry} command a change queued for the service's agent;
 *     null when nothing was queued (no server or no registered agent yet: the next deploy sends it)
 */
record TelemetryView(
    double traceSampleRatio,
    int maxSpansPerSecond,
    int maxLogLinesPerSecond,
    @Nullable Prometheus prometheus,
    boolean otelInject,
    boolean otelInjected,
    @Nullable UUID commandId) {

  /** The Prometheus scrape of the service's replicas. */
  record Prometheus(int port, String path, long intervalMs, long timeoutMs) {}

  static TelemetryView of(TelemetryConfig config, boolean operatorAllows, @Nullable UUID command) {
    TelemetrySettings s = config.settings();
    PrometheusScrape p = s.prometheus();
    return new TelemetryView(
        s.traceSampleRatio(),
        s.maxSpansPerSecond(),
        s.maxLogLinesPerSecond(),
        p == null
            ? null
            : new Prometheus(p.port(), p.path(), p.interval().toMillis(), p.timeout().toMillis()),
        config.otelInject(),
        config.otelInject() && operatorAllows,
        command);
  }
}
