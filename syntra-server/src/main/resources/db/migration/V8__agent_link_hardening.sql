-- Review fixes for the agent hub (issue 5).

-- A registration is confirmed when the agent proves it received its credential (its first
-- heartbeat or reconnect). Until then the registration token may register again: a hello_ok lost
-- on the wire must not strand the server with a used token and an agent without a credential.
ALTER TABLE servers ADD COLUMN agent_confirmed_at timestamptz;
UPDATE servers SET agent_confirmed_at = registered_at WHERE registered_at IS NOT NULL;

DROP FUNCTION syntra_find_server_by_registration(text);
CREATE FUNCTION syntra_find_server_by_registration(p_hash text)
  RETURNS TABLE (id uuid, org_id uuid, registration_expires_at timestamptz,
                 registered_at timestamptz, agent_confirmed_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id, registration_expires_at, registered_at, agent_confirmed_at FROM servers
     WHERE registration_token_hash = p_hash $$;

-- Commands to deliver: queued ones, and sent ones without an answer for a while (resent on the
-- live link; the agent executes an id at most once and answers a repeat from its journal).
DROP FUNCTION syntra_servers_with_pending_commands(uuid[]);
CREATE FUNCTION syntra_servers_with_pending_commands(p_servers uuid[], p_resend_before timestamptz)
  RETURNS TABLE (server_id uuid, org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT DISTINCT server_id, org_id FROM agent_commands
     WHERE server_id = ANY(p_servers)
       AND (status = 'queued' OR (status = 'sent' AND sent_at < p_resend_before)) $$;

REVOKE ALL ON FUNCTION syntra_find_server_by_registration(text),
  syntra_servers_with_pending_commands(uuid[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_find_server_by_registration(text),
  syntra_servers_with_pending_commands(uuid[], timestamptz) TO syntra_app;

-- A service's queued stop must survive the service's deletion (deleting a service stops it).
ALTER TABLE agent_commands DROP CONSTRAINT agent_commands_service_id_fkey;
ALTER TABLE agent_commands ADD CONSTRAINT agent_commands_service_id_fkey
  FOREIGN KEY (service_id) REFERENCES services (id) ON DELETE SET NULL;
