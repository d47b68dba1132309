-- The application logs in as syntra_app itself instead of switching to it with SET ROLE (which SQL
-- injected into a session could undo with RESET ROLE). syntra_app stays what V1 made it: no
-- superuser, NOBYPASSRLS, owner of nothing. The schema owner sets its password at every start.
ALTER ROLE syntra_app WITH LOGIN;

-- PostgreSQL before 15 lets every role create objects in the public schema: syntra_app must own
-- nothing (a warning, not an error, where the owner may not change it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Credentials the server generates for itself (the password of syntra_app when
-- SYNTRA_DB_APP_PASSWORD is unset), shared by every instance on this database. Readable by the
-- schema owner only: syntra_app gets no privilege on it.
CREATE TABLE syntra_credentials (
  name       text PRIMARY KEY,
  secret     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON syntra_credentials FROM PUBLIC;

-- Which master key every sealed value is sealed under (an HMAC of the key, not the key), so a
-- start with another key is refused and a rotation re-seals exactly once.
CREATE TABLE syntra_master_key (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  fingerprint text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON syntra_master_key TO syntra_app;

-- Every organization, for re-sealing under a new master key (the only cross-tenant walk).
CREATE FUNCTION syntra_organization_ids()
  RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id FROM organizations ORDER BY id $$;

-- The sealed payload of a finished command (a deploy spec carries decrypted env vars) is dropped
-- after a short grace; type, status, error and times stay as the command's history.
ALTER TABLE agent_commands ALTER COLUMN ciphertext DROP NOT NULL;
ALTER TABLE agent_commands ADD COLUMN payload_purged_at timestamptz;
ALTER TABLE agent_commands ADD CONSTRAINT agent_commands_payload_while_pending
  CHECK (ciphertext IS NOT NULL OR status NOT IN ('queued', 'sent'));
CREATE INDEX agent_commands_finished_payloads ON agent_commands (finished_at)
  WHERE ciphertext IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled');

CREATE FUNCTION syntra_purge_command_payloads(p_finished_before timestamptz, p_limit integer)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ WITH purged AS (
       UPDATE agent_commands SET ciphertext = NULL, payload_purged_at = now()
       WHERE id IN (SELECT id FROM agent_commands
                    WHERE ciphertext IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled')
                      AND finished_at < p_finished_before
                    ORDER BY finished_at LIMIT p_limit
                    FOR UPDATE SKIP LOCKED)
       RETURNING 1)
     SELECT count(*)::integer FROM purged $$;

REVOKE ALL ON FUNCTION syntra_organization_ids(),
  syntra_purge_command_payloads(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_organization_ids(),
  syntra_purge_command_payloads(timestamptz, integer) TO syntra_app;
