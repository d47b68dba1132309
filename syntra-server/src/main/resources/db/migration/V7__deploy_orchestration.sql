-- Deploy orchestration (issue 5, part 3).

-- Events of one deployment in the order they were written: ids are time-ordered only to the
-- millisecond, so the SSE stream orders and resumes (Last-Event-ID) by this sequence. Writers lock
-- the deployment row first, so within a deployment the sequence follows commit order.
ALTER TABLE deployment_events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX deployment_events_seq ON deployment_events (deployment_id, seq);

-- The service a command acts on, for the service's command list (restart, scale, stop, and the
-- deploy and rollback commands of its deployments).
ALTER TABLE agent_commands ADD COLUMN service_id uuid REFERENCES services (id) ON DELETE CASCADE;
CREATE INDEX agent_commands_service ON agent_commands (service_id, id) WHERE service_id IS NOT NULL;

-- The current deployment of a service is the one that most recently reached running.
CREATE INDEX deployments_service_running ON deployments (service_id, finished_at)
  WHERE status = 'running';
