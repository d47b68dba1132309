-- Two control-plane instances on one PostgreSQL (issue 10).

-- A new agent command wakes the instance its agent is connected to, whichever instance queued it:
-- the payload is the server id. Delivered at commit (nothing for a rolled-back insert); each
-- instance LISTENs on one dedicated connection and still polls every second as a fallback.
CREATE FUNCTION syntra_notify_agent_command() RETURNS trigger
  LANGUAGE plpgsql AS
  $$ BEGIN
       PERFORM pg_notify('syntra_agent_commands', NEW.server_id::text);
       RETURN NULL;
     END $$;
CREATE TRIGGER agent_commands_notify AFTER INSERT ON agent_commands
  FOR EACH ROW EXECUTE FUNCTION syntra_notify_agent_command();

-- A new deployment event nudges the deployment's SSE streams on every instance (the payload is the
-- deployment id); the streams also poll every second.
CREATE FUNCTION syntra_notify_deployment_event() RETURNS trigger
  LANGUAGE plpgsql AS
  $$ BEGIN
       PERFORM pg_notify('syntra_deployment_events', NEW.deployment_id::text);
       RETURN NULL;
     END $$;
CREATE TRIGGER deployment_events_notify AFTER INSERT ON deployment_events
  FOR EACH ROW EXECUTE FUNCTION syntra_notify_deployment_event();

-- A deleted server, or a revoked agent credential, closes the agent's link on whichever instance
-- holds it (the payload is the server id).
CREATE FUNCTION syntra_notify_agent_disconnect() RETURNS trigger
  LANGUAGE plpgsql AS
  $$ BEGIN
       IF TG_OP = 'DELETE' THEN
         PERFORM pg_notify('syntra_agent_disconnect', OLD.id::text);
       ELSIF (NEW.agent_revoked_at IS NOT NULL AND OLD.agent_revoked_at IS NULL)
          OR (NEW.agent_token_hash IS NULL AND OLD.agent_token_hash IS NOT NULL) THEN
         PERFORM pg_notify('syntra_agent_disconnect', NEW.id::text);
       END IF;
       RETURN NULL;
     END $$;
CREATE TRIGGER servers_notify_disconnect AFTER UPDATE OF agent_revoked_at, agent_token_hash OR DELETE
  ON servers FOR EACH ROW EXECUTE FUNCTION syntra_notify_agent_disconnect();

-- The link (one agent session on one instance) that last opened for the server. A closing link
-- marks the server offline only while it is still the server's link: the agent may meanwhile have
-- reconnected, to this instance or another.
ALTER TABLE servers ADD COLUMN agent_link uuid;

-- A new link of the agent, on any instance, closes the link an instance may still hold for the
-- server (half-open after a network change, or not yet timed out), so no instance keeps claiming
-- the server's commands for a dead connection. Payload: the server id (each instance checks the
-- row, so a late notification never closes the newest link).
CREATE FUNCTION syntra_notify_agent_link() RETURNS trigger
  LANGUAGE plpgsql AS
  $$ BEGIN
       PERFORM pg_notify('syntra_agent_link', NEW.id::text);
       RETURN NULL;
     END $$;
CREATE TRIGGER servers_notify_link AFTER UPDATE OF agent_link ON servers
  FOR EACH ROW WHEN (NEW.agent_link IS NOT NULL AND NEW.agent_link IS DISTINCT FROM OLD.agent_link)
  EXECUTE FUNCTION syntra_notify_agent_link();

-- The liveness sweep compares heartbeats with the database clock, not each instance's own.
CREATE FUNCTION syntra_stale_online_servers_after(p_offline_after interval)
  RETURNS TABLE (id uuid, org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id FROM servers
     WHERE agent_status = 'online'
       AND (last_heartbeat_at IS NULL OR last_heartbeat_at < now() - p_offline_after) $$;
REVOKE ALL ON FUNCTION syntra_stale_online_servers_after(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_stale_online_servers_after(interval) TO syntra_app;

-- Per-organization API rate limits shared by every instance: one token bucket row per organization,
-- refilled continuously at per_minute / 60 s and taken from atomically (the row lock orders
-- concurrent requests). UNLOGGED: no WAL per request; after a crash the buckets start full again.
-- Reached only through syntra_take_rate_tokens. An instance may take a few tokens ahead (a tenth of
-- a second's refill) so a busy organization does not cost a round trip per request.
CREATE UNLOGGED TABLE api_rate_buckets (
  org_id     uuid PRIMARY KEY,
  tokens     double precision NOT NULL,
  updated_at timestamptz NOT NULL
);
REVOKE ALL ON api_rate_buckets FROM PUBLIC;

-- Takes up to p_wanted tokens (at least one) from p_org's bucket of p_per_minute: granted is how
-- many were taken (0 when none is available), wait_ms then says when one will be. A clock
-- stepping back neither refills nor drains the bucket.
CREATE FUNCTION syntra_take_rate_tokens(p_org uuid, p_per_minute integer, p_wanted integer)
  RETURNS TABLE (granted integer, wait_ms bigint)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ DECLARE
       v_now    timestamptz := clock_timestamp();
       v_limit  integer := greatest(p_per_minute, 1);
       v_per_ms double precision := greatest(p_per_minute, 1) / 60000.0;
       v_tokens double precision;
     BEGIN
       INSERT INTO api_rate_buckets AS b (org_id, tokens, updated_at)
         VALUES (p_org, v_limit, v_now)
       ON CONFLICT (org_id) DO UPDATE
         SET tokens = least(v_limit,
                            b.tokens + greatest(0, extract(epoch FROM v_now - b.updated_at) * 1000)
                                       * v_per_ms),
             updated_at = greatest(b.updated_at, v_now)
       RETURNING b.tokens INTO v_tokens;
       IF v_tokens >= 1 THEN
         granted := least(greatest(p_wanted, 1), floor(v_tokens)::integer);
         wait_ms := 0;
         UPDATE api_rate_buckets SET tokens = tokens - granted WHERE org_id = p_org;
       ELSE
         granted := 0;
         wait_ms := ceil((1 - v_tokens) / v_per_ms)::bigint;
       END IF;
       RETURN NEXT;
     END $$;
REVOKE ALL ON FUNCTION syntra_take_rate_tokens(uuid, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_take_rate_tokens(uuid, integer, integer) TO syntra_app;

-- The fingerprint of the hub CA that agents pin. Every instance must serve certificates of this one
-- CA (its files copied from the first instance): an instance with another CA refuses to start
-- instead of handing out install commands no other instance would accept.
CREATE TABLE hub_ca (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  sha256     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON hub_ca TO syntra_app;
