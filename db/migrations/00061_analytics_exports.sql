-- CSV exports of analytics (exportAnalytics, api/src/analytics/export.ts): one row per file in the blob
-- store, served at /analytics-exports/<id> to the tenant's managers, admins and READ keys until it
-- expires (15 minutes), then deleted by the retention sweep.
CREATE TABLE analytics_exports (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  report     text NOT NULL CHECK (report IN ('conversations', 'agents', 'departments', 'series')),
  blob_key   text NOT NULL,
  byte_size  integer NOT NULL,
  rows       integer NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key')),
  actor_id   uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX analytics_exports_expiry ON analytics_exports (tenant_id, expires_at);
SELECT enable_tenant_rls('analytics_exports');
-- Agents neither make nor download them (the schema and the route refuse them first).
CREATE POLICY no_agents ON analytics_exports AS RESTRICTIVE USING (NOT app_is_agent());

-- Rollups older than the tenant's analytics period, oldest first, at most p_limit (the retention sweep).
CREATE INDEX analytics_rollups_age ON analytics_rollups (tenant_id, start);
