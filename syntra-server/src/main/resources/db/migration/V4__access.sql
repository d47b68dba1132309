-- Syntra control-plane schema, part 4: indexes for the access and audit endpoints.
--
-- The audit log grows without bound and is filtered by action, target and actor while paging by
-- id (GET /api/v1/audit-log); each filter gets an index ending in id so a page is an index range.
-- Token lists page one user's tokens by id, and member removal revokes one user's tokens.

CREATE INDEX audit_log_org_action ON audit_log (org_id, action, id);
CREATE INDEX audit_log_org_target ON audit_log (org_id, target_type, target_id, id);
CREATE INDEX audit_log_org_actor ON audit_log (org_id, actor_user_id, id);
CREATE INDEX audit_log_org_created ON audit_log (org_id, created_at);

CREATE INDEX api_tokens_org_user ON api_tokens (org_id, user_id, id);

-- Pending-invitation checks look an address up case-insensitively.
CREATE INDEX invitations_org_email ON invitations (org_id, lower(email));
