package dev.syntra.server.service;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/**
 * Rows of {@code service_telemetry}: a service's telemetry configuration. A service without a row
 * has {@link TelemetryConfig#DEFAULTS}. Every query names the organization, and RLS enforces it
 * again.
 */
@Component
public class ServiceTelemetry {

  /** The service's configuration; the defaults when it was never set. */
  public TelemetryConfig find(Handle h, UUID orgId, UUID serviceId) {
    return h.createQuery(
            "SELECT trace_sample_ratio, max_spans_per_second, max_log_lines_per_second,"
                + " otel_inject, prometheus_port, prometheus_path, prometheus_interval_ms,"
                + " prometheus_timeout_ms FROM service_telemetry"
                + " WHERE org_id = :org AND service_id = :service")
        .bind("org", orgId)
        .bind("service", serviceId)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElse(TelemetryConfig.DEFAULTS);
  }

  /** Replaces the service's configuration (the caller has checked the service is the org's). */
  public void save(Handle h, UUID orgId, UUID serviceId, TelemetryConfig config) {
    TelemetrySettings s = config.settings();
    PrometheusScrape scrape = s.prometheus();
    h.createUpdate(
            "INSERT INTO service_telemetry (service_id, org_id, trace_sample_ratio,"
                + " max_spans_per_second, max_log_lines_per_second, otel_inject, prometheus_port,"
                + " prometheus_path, prometheus_interval_ms, prometheus_timeout_ms)"
                + " VALUES (:service, :org, :ratio, :spans, :logs, :inject, :port, :path,"
                + " :interval, :timeout)"
                + " ON CONFLICT (service_id) DO UPDATE SET"
                + " trace_sample_ratio = EXCLUDED.trace_sample_ratio,"
                + " max_spans_per_second = EXCLUDED.max_spans_per_second,"
                + " max_log_lines_per_second = EXCLUDED.max_log_lines_per_second,"
                + " otel_inject = EXCLUDED.otel_inject,"
                + " prometheus_port = EXCLUDED.prometheus_port,"
                + " prometheus_path = EXCLUDED.prometheus_path,"
                + " prometheus_interval_ms = EXCLUDED.prometheus_interval_ms,"
                + " prometheus_timeout_ms = EXCLUDED.prometheus_timeout_ms,"
                + " updated_at = now()")
        .bind("service", serviceId)
        .bind("org", orgId)
        .bind("ratio", s.traceSampleRatio())
        .bind("spans", s.maxSpansPerSecond())
        .bind("logs", s.maxLogLinesPerSecond())
        .bind("inject", config.otelInject())
        .bind("port", scrape == null ? null : scrape.port())
        .bind("path", scrape == null ? null : scrape.path())
        .bind("interval", scrape == null ? null : (int) scrape.interval().toMillis())
        .bind("timeout", scrape == null ? null : (int) scrape.timeout().toMillis())
        .execute();
  }

  private static TelemetryConfig read(ResultSet rs) throws SQLException {
    int port = rs.getInt("prometheus_port");
    PrometheusScrape scrape =
        rs.wasNull()
            ? null
            : new PrometheusScrape(
                port,
                rs.getString("prometheus_path"),
                Duration.ofMillis(rs.getInt("prometheus_interval_ms")),
                Duration.ofMillis(rs.getInt("prometheus_timeout_ms")));
    return new TelemetryConfig(
        new TelemetrySettings(
            rs.getDouble("trace_sample_ratio"),
            rs.getInt("max_spans_per_second"),
            rs.getInt("max_log_lines_per_second"),
            scrape),
        rs.getBoolean("otel_inject"));
  }
}
