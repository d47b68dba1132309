-- Telemetry batches as received from agents (issue 11), the interim durable store: the hub acks a
-- batch to its agent only after the row is committed, and answers a resent batch id as a
-- duplicate. The next issue (the real telemetry stores) consumes these rows in order and replaces
-- this table; until then a periodic delete keeps it to SYNTRA_TELEMETRY_BATCH_RETENTION.
--
-- Batch ids are unique per organization: a batch is attributed to the authenticated agent's
-- server and organization, never to anything inside the frame, so another organization's agent
-- can neither see nor collide with these rows.
CREATE TABLE telemetry_batches (
  seq                bigint GENERATED ALWAYS AS IDENTITY,
  org_id             uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  batch_id           uuid NOT NULL,
  -- No foreign key: a deleted server's telemetry stays until the retention drops it.
  server_id          uuid NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  span_count         bigint NOT NULL CHECK (span_count >= 0),
  log_record_count   bigint NOT NULL CHECK (log_record_count >= 0),
  metric_point_count bigint NOT NULL CHECK (metric_point_count >= 0),
  -- The whole frame (header and zstd payload) exactly as received.
  frame              bytea NOT NULL,
  PRIMARY KEY (org_id, batch_id)
);
-- The frame is zstd-compressed already: no point in PostgreSQL compressing it again.
ALTER TABLE telemetry_batches ALTER COLUMN frame SET STORAGE EXTERNAL;
-- Consumption in arrival order, per organization, per server, or overall; and the retention.
CREATE UNIQUE INDEX telemetry_batches_seq ON telemetry_batches (seq);
CREATE INDEX telemetry_batches_org_seq ON telemetry_batches (org_id, seq);
CREATE INDEX telemetry_batches_server_seq ON telemetry_batches (server_id, seq);
CREATE INDEX telemetry_batches_received ON telemetry_batches (received_at);

ALTER TABLE telemetry_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON telemetry_batches USING (org_id = syntra_org())
  WITH CHECK (org_id = syntra_org());
GRANT SELECT, INSERT, DELETE ON telemetry_batches TO syntra_app;

-- The retention delete walks every organization: it runs as the schema owner, in batches.
CREATE FUNCTION syntra_delete_telemetry_batches(p_received_before timestamptz, p_limit integer)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ WITH deleted AS (
       DELETE FROM telemetry_batches
       WHERE seq IN (SELECT seq FROM telemetry_batches
                     WHERE received_at < p_received_before
                     ORDER BY received_at LIMIT p_limit
                     FOR UPDATE SKIP LOCKED)
       RETURNING 1)
     SELECT count(*)::integer FROM deleted $$;

REVOKE ALL ON FUNCTION syntra_delete_telemetry_batches(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_delete_telemetry_batches(timestamptz, integer) TO syntra_app;
