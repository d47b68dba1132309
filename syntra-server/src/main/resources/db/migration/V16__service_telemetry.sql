-- Issue 11: how the agent samples, rate-limits and scrapes each service's telemetry, and whether
-- deploys inject the OTEL_* environment. One row per service that has been configured; a service
-- without a row uses the defaults of the code (so the defaults can evolve). Owned by the service
-- package; sent to the agent as configure_telemetry on change and before every deploy.
CREATE TABLE service_telemetry (
  service_id               uuid PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
  org_id                   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  trace_sample_ratio       double precision NOT NULL
                             CHECK (trace_sample_ratio >= 0 AND trace_sample_ratio <= 1),
  max_spans_per_second     integer NOT NULL
                             CHECK (max_spans_per_second BETWEEN 1 AND 1000000),
  max_log_lines_per_second integer NOT NULL
                             CHECK (max_log_lines_per_second BETWEEN 1 AND 1000000),
  otel_inject              boolean NOT NULL DEFAULT true,
  -- The Prometheus scrape: all four set, or none.
  prometheus_port          integer CHECK (prometheus_port BETWEEN 1 AND 65535),
  prometheus_path          text CHECK (length(prometheus_path) BETWEEN 1 AND 1024),
  prometheus_interval_ms   integer CHECK (prometheus_interval_ms BETWEEN 1000 AND 3600000),
  prometheus_timeout_ms    integer,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK (prometheus_timeout_ms BETWEEN 100 AND prometheus_interval_ms),
  CHECK ((prometheus_port IS NULL) = (prometheus_path IS NULL)
     AND (prometheus_port IS NULL) = (prometheus_interval_ms IS NULL)
     AND (prometheus_port IS NULL) = (prometheus_timeout_ms IS NULL))
);
CREATE INDEX service_telemetry_org ON service_telemetry (org_id);
ALTER TABLE service_telemetry ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON service_telemetry
  USING (org_id = syntra_org()) WITH CHECK (org_id = syntra_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON service_telemetry TO syntra_app;
