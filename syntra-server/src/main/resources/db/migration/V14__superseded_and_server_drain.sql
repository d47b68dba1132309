-- Issue 10: superseded deployments, and servers that are deleted only once their workloads stopped.

-- A deployment that reached running and was then replaced (by a newer deployment or a rollback of
-- the service reaching running) is 'superseded': only the current deployment says 'running'.
ALTER TABLE deployments DROP CONSTRAINT deployments_status_check;
ALTER TABLE deployments ADD CONSTRAINT deployments_status_check
  CHECK (status IN ('queued', 'building', 'pushing', 'deploying', 'running', 'superseded',
                    'failed', 'rolled_back', 'cancelled'));
UPDATE deployments d SET status = 'superseded'
  WHERE d.status = 'running'
    AND d.id <> (SELECT c.id FROM deployments c
                 WHERE c.service_id = d.service_id AND c.status = 'running'
                 ORDER BY c.finished_at DESC NULLS LAST, c.id DESC LIMIT 1);
-- Rollback targets are the deployments that reached running: the current one and those it
-- superseded.
DROP INDEX deployments_service_running;
CREATE INDEX deployments_service_running ON deployments (service_id, finished_at)
  WHERE status IN ('running', 'superseded');

-- Deleting a server whose agent still runs services first queues a stop for each of them; the row
-- (and with it the agent's credential) goes once the agent has answered every pending command.
ALTER TABLE servers ADD COLUMN deletion_requested_at timestamptz;
