-- Reading and writing organizations and memberships are different rights. A member may SEE every
-- organization they belong to (to list them) and their own memberships everywhere, but may CHANGE
-- rows of the organization in context only. V1 used one policy for every command, so a transaction
-- of organization A could delete organization B or the user's memberships in it.

DROP POLICY tenant_isolation ON organizations;
CREATE POLICY organizations_read ON organizations FOR SELECT
  USING (id = syntra_org()
         OR EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = organizations.id
                                                  AND m.user_id = syntra_user()));
CREATE POLICY organizations_insert ON organizations FOR INSERT WITH CHECK (id = syntra_org());
CREATE POLICY organizations_update ON organizations FOR UPDATE
  USING (id = syntra_org()) WITH CHECK (id = syntra_org());
CREATE POLICY organizations_delete ON organizations FOR DELETE USING (id = syntra_org());

DROP POLICY tenant_isolation ON org_members;
CREATE POLICY org_members_read ON org_members FOR SELECT
  USING (org_id = syntra_org() OR user_id = syntra_user());
CREATE POLICY org_members_insert ON org_members FOR INSERT WITH CHECK (org_id = syntra_org());
CREATE POLICY org_members_update ON org_members FOR UPDATE
  USING (org_id = syntra_org()) WITH CHECK (org_id = syntra_org());
CREATE POLICY org_members_delete ON org_members FOR DELETE USING (org_id = syntra_org());
