-- The agent hub (issue 5): agent credentials, liveness, and the per-server command queue.

-- A registration token is one-time: registered_at is set when it is exchanged, and the hash stays
-- so a second use is recognised as "reused" rather than "invalid". Revoking an agent sets
-- agent_revoked_at; the agent's next hello is refused with agent_revoked.
ALTER TABLE servers ADD COLUMN agent_revoked_at timestamptz;
-- The latest heartbeat as received (system metrics and per-service status), for the API.
ALTER TABLE servers ADD COLUMN last_heartbeat jsonb;

-- Deployments: phases as reported by the agent, and which deployment a rollback restores.
ALTER TABLE deployments ADD COLUMN phase text;
ALTER TABLE deployments ADD COLUMN error_code text;
ALTER TABLE deployments ADD COLUMN server_id uuid REFERENCES servers (id) ON DELETE SET NULL;
ALTER TABLE deployments ADD COLUMN rollback_of uuid REFERENCES deployments (id) ON DELETE SET NULL;
ALTER TABLE deployments ADD COLUMN replicas integer;

-- Every phase change of a deployment, in order (the SSE stream and the audit of a deploy).
CREATE TABLE deployment_events (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  deployment_id uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  status        text NOT NULL,
  phase         text,
  message       text NOT NULL DEFAULT '',
  error_code    text,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployment_events_deployment ON deployment_events (deployment_id, id);

-- Commands for agents. Written in the transaction of the API call that causes them, delivered by
-- the hub when the server's agent is connected (at once, or when it reconnects), redelivered with
-- the same id until the agent answers with command_result (the agent executes an id at most once).
-- The command JSON is sealed (AES-256-GCM under the organization key, associated data
-- "agent_command:<id>") because a deploy spec carries decrypted env vars.
CREATE TABLE agent_commands (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  server_id     uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  deployment_id uuid REFERENCES deployments (id) ON DELETE CASCADE,
  type          text NOT NULL,
  ciphertext    bytea NOT NULL,
  key_version   integer NOT NULL,
  status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sent', 'succeeded', 'failed', 'cancelled')),
  attempts      integer NOT NULL DEFAULT 0,
  error_code    text,
  error_message text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  finished_at   timestamptz
);
CREATE INDEX agent_commands_pending ON agent_commands (server_id, id)
  WHERE status IN ('queued', 'sent');
CREATE INDEX agent_commands_org ON agent_commands (org_id, id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['deployment_events', 'agent_commands']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = syntra_org())'
                   ' WITH CHECK (org_id = syntra_org())', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON deployment_events, agent_commands TO syntra_app;

-- Cross-tenant lookups of the hub, each narrow (the hub learns an agent's organization from its
-- token). They run as the schema owner.
CREATE FUNCTION syntra_find_server_by_registration(p_hash text)
  RETURNS TABLE (id uuid, org_id uuid, registration_expires_at timestamptz,
                 registered_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id, registration_expires_at, registered_at FROM servers
     WHERE registration_token_hash = p_hash $$;

CREATE FUNCTION syntra_find_server_by_agent(p_agent_id text)
  RETURNS TABLE (id uuid, org_id uuid, agent_token_hash text, agent_revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id, agent_token_hash, agent_revoked_at FROM servers
     WHERE agent_id = p_agent_id $$;

-- Servers whose agent is marked online but has not sent a heartbeat since p_before: the hub's
-- liveness sweep marks them offline (in their organization's context).
CREATE FUNCTION syntra_stale_online_servers(p_before timestamptz)
  RETURNS TABLE (id uuid, org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id FROM servers
     WHERE agent_status = 'online' AND (last_heartbeat_at IS NULL OR last_heartbeat_at < p_before) $$;

-- Servers with commands waiting for delivery, among those whose agents are connected here.
CREATE FUNCTION syntra_servers_with_pending_commands(p_servers uuid[])
  RETURNS TABLE (server_id uuid, org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT DISTINCT server_id, org_id FROM agent_commands
     WHERE status = 'queued' AND server_id = ANY(p_servers) $$;

REVOKE ALL ON FUNCTION syntra_find_server_by_registration(text), syntra_find_server_by_agent(text),
  syntra_stale_online_servers(timestamptz), syntra_servers_with_pending_commands(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_find_server_by_registration(text),
  syntra_find_server_by_agent(text), syntra_stale_online_servers(timestamptz),
  syntra_servers_with_pending_commands(uuid[]) TO syntra_app;
