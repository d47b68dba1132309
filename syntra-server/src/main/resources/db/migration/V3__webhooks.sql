-- Webhook delivery log: keep the start of the receiver's answer (at most 4 KiB, read bounded), and
-- find one organization's due deliveries without scanning the others'.
ALTER TABLE webhook_deliveries ADD COLUMN response_body text;

CREATE INDEX webhook_deliveries_org_due ON webhook_deliveries (org_id, next_attempt_at)
  WHERE status = 'pending';
