-- Issue 10: domains are claimed, containers are confined, organization creation is capped.

-- One owner per host name across the installation. The primary key is the normalized host (lower
-- case, no trailing dot; a wildcard keeps its "*." prefix), so two services can never hold the same
-- name, whatever their organizations: unique constraints hold across row-level security. zone is
-- the parent domain a wildcard covers ("*.example.com" and "app.example.com" share the zone
-- "example.com"; a wildcard matches exactly one label), the key of the overlap check below.
CREATE TABLE domain_claims (
  host       text PRIMARY KEY CHECK (host = lower(host) AND right(host, 1) <> '.'),
  zone       text NOT NULL,
  wildcard   boolean NOT NULL,
  org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domain_claims_zone ON domain_claims (zone);
CREATE INDEX domain_claims_service ON domain_claims (service_id);
ALTER TABLE domain_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON domain_claims
  USING (org_id = syntra_org()) WITH CHECK (org_id = syntra_org());
GRANT SELECT, INSERT, DELETE ON domain_claims TO syntra_app;

-- Which of p_hosts another service already holds: the same name (any organization), or, across
-- organizations, a wildcard over an exact name or an exact name under a wildcard of the same zone.
-- Answers only the caller's own input names, never who holds them. It reads other organizations'
-- claims, hence SECURITY DEFINER; the caller releases its own service's claims first.
CREATE FUNCTION syntra_domain_conflicts(p_hosts text[]) RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT h FROM unnest(p_hosts) AS h
     WHERE EXISTS (
       SELECT 1 FROM domain_claims c
       WHERE c.host = h
          OR (c.org_id IS DISTINCT FROM syntra_org()
              AND c.zone = substr(h, strpos(h, '.') + 1)
              AND c.wildcard <> (left(h, 2) = '*.'))) $$;

-- Organizations a user founded (the per-user cap counts them even where RLS hides them, e.g.
-- after the founder left). Only for the user in context.
ALTER TABLE organizations ADD COLUMN founded_by uuid REFERENCES users (id);
UPDATE organizations SET founded_by = owner_id;
CREATE INDEX organizations_founded_by ON organizations (founded_by);
CREATE FUNCTION syntra_organizations_founded() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT count(*) FROM organizations WHERE founded_by = syntra_user() $$;

REVOKE ALL ON FUNCTION syntra_domain_conflicts(text[]), syntra_organizations_founded() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syntra_domain_conflicts(text[]), syntra_organizations_founded()
  TO syntra_app;

-- Existing services claim their domains, oldest service first. Until now nothing stopped two
-- services from naming the same host; the later one loses it here (removed from its domains), as
-- it would have lost a claim race. Cross-organization wildcard/exact overlaps that already exist
-- are kept: the next change of either service's domains must resolve them.
INSERT INTO domain_claims (host, zone, wildcard, org_id, service_id, created_at)
  SELECT d.host, substr(d.host, strpos(d.host, '.') + 1), left(d.host, 2) = '*.', s.org_id, s.id,
         s.created_at
  FROM services s CROSS JOIN LATERAL unnest(s.domains) AS d (host)
  ORDER BY s.created_at, s.id
  ON CONFLICT (host) DO NOTHING;
UPDATE services s SET domains = ARRAY(
    SELECT d FROM unnest(s.domains) WITH ORDINALITY AS x (d, i)
    WHERE EXISTS (SELECT 1 FROM domain_claims c WHERE c.host = x.d AND c.service_id = s.id)
    ORDER BY x.i)
  WHERE EXISTS (SELECT 1 FROM unnest(s.domains) AS d
                WHERE NOT EXISTS (SELECT 1 FROM domain_claims c
                                  WHERE c.host = d AND c.service_id = s.id));

-- How a service's containers are confined. NULL in all three means the defaults of the code
-- (no-new-privileges, drop ALL, add back a minimal set), so the defaults can evolve.
ALTER TABLE services
  ADD COLUMN security_no_new_privileges boolean,
  ADD COLUMN security_cap_drop text[],
  ADD COLUMN security_cap_add text[];
