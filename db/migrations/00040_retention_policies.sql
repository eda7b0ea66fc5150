-- Each tenant's retention policy (issue 12): how long its data is kept before the retention sweeps
-- (api/src/retention) remove it. A tenant without a row keeps the defaults, which live in one place:
-- retention_policy_of() below. The bounds are the promises of the privacy policies, enforced here and
-- again, with the field named, by updateRetentionPolicy:
--   messages_days     1–3650  after a conversation's last activity (default 90)
--   raw_webhook_days  1–7     Meta retries a webhook for up to 7 days; a raw copy only serves to
--                             recognise those redeliveries, so it is never kept longer (default 7)
--   dead_letter_days  1–90    time to inspect and replay a failed delivery (default 30)
--   staff_purge_days  1–30    deactivated staff are purged "within 30 days" (default 30)
--   export_days       1–30    a privacy export's download link lives this long (default 7)
--   audit_days        30–2555 at least a month of evidence, at most seven years (default 365)
--   analytics_months  1–24    anonymous rollups, "kept 24 months" at most (default 24)
CREATE TABLE retention_policies (
  tenant_id        uuid PRIMARY KEY REFERENCES tenants (id),
  messages_days    integer NOT NULL CHECK (messages_days BETWEEN 1 AND 3650),
  raw_webhook_days integer NOT NULL CHECK (raw_webhook_days BETWEEN 1 AND 7),
  dead_letter_days integer NOT NULL CHECK (dead_letter_days BETWEEN 1 AND 90),
  staff_purge_days integer NOT NULL CHECK (staff_purge_days BETWEEN 1 AND 30),
  export_days      integer NOT NULL CHECK (export_days BETWEEN 1 AND 30),
  audit_days       integer NOT NULL CHECK (audit_days BETWEEN 30 AND 2555),
  analytics_months integer NOT NULL CHECK (analytics_months BETWEEN 1 AND 24),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       uuid
);
SELECT enable_tenant_rls('retention_policies');

-- The policy in force for a tenant: its row, or the defaults. Runs with the caller's rights, so the
-- application role reads only its own tenant's row (another tenant's id yields the defaults).
CREATE FUNCTION retention_policy_of(p_tenant_id uuid) RETURNS retention_policies
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(
      (SELECT r FROM retention_policies r WHERE r.tenant_id = p_tenant_id),
      ROW(p_tenant_id, 90, 7, 30, 30, 7, 365, 24, NULL, NULL)::retention_policies)
  $$;
