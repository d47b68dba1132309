-- Syntra control-plane schema, part 1: tenancy, access, projects, services, servers, deployments,
-- secrets, audit and webhooks.
--
-- Isolation model: every organization-owned row carries org_id and is guarded by row-level security.
-- The application connects through the role syntra_app (no superuser, no BYPASSRLS, not the owner of
-- any table), so the policies always apply to it. Each transaction states its tenant with
--   set_config('syntra.org_id', <uuid>, true) and set_config('syntra.user_id', <uuid>, true)
-- and sees nothing of other organizations even if a query forgets its WHERE org_id = ... clause.
-- The few lookups that must cross tenants (a token by its hash, due webhook work) are SECURITY
-- DEFINER functions that return only what the caller proves it may see.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'syntra_app') THEN
    CREATE ROLE syntra_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
-- The connecting user switches to syntra_app with SET ROLE on every pooled connection.
GRANT syntra_app TO CURRENT_USER;

CREATE FUNCTION syntra_org() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('syntra.org_id', true), '')::uuid $$;
CREATE FUNCTION syntra_user() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('syntra.user_id', true), '')::uuid $$;

-- Users are global: one person may belong to several organizations. No secret lives here.
CREATE TABLE users (
  id          uuid PRIMARY KEY,
  email       text NOT NULL,
  name        text NOT NULL,
  avatar_url  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE organizations (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  slug        text NOT NULL UNIQUE,
  plan        text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'team', 'enterprise')),
  owner_id    uuid NOT NULL REFERENCES users (id),
  key_version integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE org_members (
  org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id),
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
  invited_at  timestamptz,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_members_user ON org_members (user_id);

CREATE TABLE invitations (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email       text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
  token_hash  text NOT NULL UNIQUE,
  invited_by  uuid NOT NULL REFERENCES users (id),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_org ON invitations (org_id, id);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id),
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  scopes       text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_org ON api_tokens (org_id, id);

CREATE TABLE projects (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name         text NOT NULL,
  slug         text NOT NULL,
  description  text NOT NULL DEFAULT '',
  git_repo_url text,
  git_branch   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, slug)
);
CREATE INDEX projects_org ON projects (org_id, id);

-- Per-project role overrides: a member may be a viewer in the organization but a developer here.
CREATE TABLE project_members (
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id),
  role       text NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE servers (
  id                      uuid PRIMARY KEY,
  org_id                  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name                    text NOT NULL,
  hostname                text,
  ip_address              text,
  runtime                 text CHECK (runtime IN ('docker', 'kubernetes')),
  agent_id                text UNIQUE,
  agent_version           text,
  agent_status            text NOT NULL DEFAULT 'pending'
                            CHECK (agent_status IN ('pending', 'online', 'offline', 'updating')),
  os                      text,
  arch                    text,
  cpu_cores               integer,
  memory_bytes            bigint,
  disk_bytes              bigint,
  last_heartbeat_at       timestamptz,
  agent_token_hash        text UNIQUE,
  registration_token_hash text UNIQUE,
  registration_expires_at timestamptz,
  registered_at           timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);
CREATE INDEX servers_org ON servers (org_id, id);

CREATE TABLE services (
  id                       uuid PRIMARY KEY,
  org_id                   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  project_id               uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id                uuid REFERENCES servers (id) ON DELETE SET NULL,
  name                     text NOT NULL,
  type                     text NOT NULL CHECK (type IN ('app', 'database', 'worker', 'cron')),
  source_type              text NOT NULL
                             CHECK (source_type IN ('image', 'dockerfile', 'nixpacks', 'docker_compose')),
  image_name               text,
  image_tag                text,
  dockerfile_path          text,
  build_context            text,
  port                     integer CHECK (port BETWEEN 1 AND 65535),
  publish_host_ip          text,
  publish_host_port        integer CHECK (publish_host_port BETWEEN 1 AND 65535),
  replicas                 integer NOT NULL DEFAULT 1 CHECK (replicas BETWEEN 0 AND 1000),
  cpu_millis               bigint NOT NULL DEFAULT 0 CHECK (cpu_millis >= 0),
  memory_bytes             bigint NOT NULL DEFAULT 0 CHECK (memory_bytes >= 0),
  domains                  text[] NOT NULL DEFAULT '{}',
  health_check_path        text,
  health_check_interval_ms integer NOT NULL DEFAULT 5000,
  health_check_timeout_ms  integer NOT NULL DEFAULT 3000,
  health_check_retries     integer NOT NULL DEFAULT 3,
  auto_deploy              boolean NOT NULL DEFAULT false,
  internal_dns             text NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);
CREATE INDEX services_org ON services (org_id, id);
CREATE INDEX services_project ON services (project_id, id);

CREATE TABLE deployments (
  id                 uuid PRIMARY KEY,
  org_id             uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  service_id         uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  status             text NOT NULL
                       CHECK (status IN ('queued', 'building', 'pushing', 'deploying', 'running',
                                         'failed', 'rolled_back', 'cancelled')),
  image              text,
  image_digest       text,
  strategy           text,
  trigger_type       text NOT NULL DEFAULT 'api'
                       CHECK (trigger_type IN ('manual', 'git_push', 'workflow', 'rollback', 'api')),
  triggered_by       uuid REFERENCES users (id),
  error_message      text,
  queued_at          timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  finished_at        timestamptz,
  deploy_duration_ms bigint,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployments_service ON deployments (service_id, id);
CREATE INDEX deployments_org ON deployments (org_id, id);

-- Env vars, per project (service_id null) or per service. Only AES-256-GCM ciphertext is stored
-- (12-byte nonce, ciphertext, 16-byte tag), under the organization key of version key_version.
CREATE TABLE env_vars (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  service_id  uuid REFERENCES services (id) ON DELETE CASCADE,
  key         text NOT NULL,
  ciphertext  bytea NOT NULL,
  key_version integer NOT NULL,
  updated_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX env_vars_service_key ON env_vars (service_id, key) WHERE service_id IS NOT NULL;
CREATE UNIQUE INDEX env_vars_project_key ON env_vars (project_id, key) WHERE service_id IS NULL;

-- Append-only: the application may insert and read, never update or delete.
CREATE TABLE audit_log (
  id            uuid PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor_user_id uuid,
  actor_token_id uuid,
  action        text NOT NULL,
  target_type   text NOT NULL,
  target_id     text,
  ip            text,
  details       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);

CREATE TABLE webhooks (
  id                uuid PRIMARY KEY,
  org_id            uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  url               text NOT NULL,
  description       text NOT NULL DEFAULT '',
  secret_ciphertext bytea NOT NULL,
  key_version       integer NOT NULL,
  events            text[] NOT NULL,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_org ON webhooks (org_id, id);

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY,
  org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id        uuid NOT NULL,
  event_type      text NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  response_status integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- Row-level security on every organization-owned table.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['projects', 'project_members', 'servers', 'services', 'deployments',
                           'env_vars', 'audit_log', 'webhooks', 'webhook_deliveries', 'invitations',
                           'api_tokens']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = syntra_org())'
                   ' WITH CHECK (org_id = syntra_org())', t);
  END LOOP;
END
$$;

-- A member sees the organizations they belong to (to list them), and their own memberships.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
  USING (id = syntra_org()
         OR EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = organizations.id
                                                  AND m.user_id = syntra_user()))
  WITH CHECK (id = syntra_org());
ALTER TABLE org_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON org_members
  USING (org_id = syntra_org() OR user_id = syntra_user())
  WITH CHECK (org_id = syntra_org());

-- Users are visible to themselves and to the organization in context (its members).
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON users FOR SELECT
  USING (id = syntra_user()
         OR EXISTS (SELECT 1 FROM org_members m WHERE m.user_id = users.id
                                                  AND m.org_id = syntra_org()));
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (true);
CREATE POLICY users_update ON users FOR UPDATE USING (id = syntra_user());

-- Cross-tenant lookups, each narrow. They run as the schema owner (SECURITY DEFINER).
CREATE FUNCTION syntra_find_api_token(p_hash text)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, scopes text[], expires_at timestamptz,
                 revoked_at timestamptz, role text, plan text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT t.id, t.org_id, t.user_id, t.scopes, t.expires_at, t.revoked_at, m.role, o.plan
     FROM api_tokens t
     JOIN organizations o ON o.id = t.org_id
     LEFT JOIN org_members m ON m.org_id = t.org_id AND m.user_id = t.user_id
     WHERE t.token_hash = p_hash $$;

CREATE FUNCTION syntra_find_invitation(p_hash text)
  RETURNS TABLE (id uuid, org_id uuid, email text, role text, expires_at timestamptz,
                 accepted_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id, org_id, email, role, expires_at, accepted_at, revoked_at FROM invitations
     WHERE token_hash = p_hash $$;

CREATE FUNCTION syntra_orgs_with_due_webhooks(p_now timestamptz)
  RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT DISTINCT org_id FROM webhook_deliveries
     WHERE status = 'pending' AND next_attempt_at <= p_now $$;

CREATE FUNCTION syntra_find_user_id_by_email(p_email text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id FROM users WHERE lower(email) = lower(p_email) $$;

CREATE FUNCTION syntra_organization_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT count(*) FROM organizations $$;

REVOKE ALL ON FUNCTION syntra_find_api_token(text), syntra_find_invitation(text),
  syntra_orgs_with_due_webhooks(timestamptz), syntra_find_user_id_by_email(text),
  syntra_organization_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_find_api_token(text), syntra_find_invitation(text),
  syntra_orgs_with_due_webhooks(timestamptz), syntra_find_user_id_by_email(text),
  syntra_organization_count(), syntra_org(), syntra_user() TO syntra_app;

GRANT USAGE ON SCHEMA public TO syntra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, organizations, org_members, invitations, api_tokens,
  projects, project_members, servers, services, deployments, env_vars, webhooks,
  webhook_deliveries TO syntra_app;
GRANT SELECT, INSERT ON audit_log TO syntra_app;
