-- Tenant context: every tenant table is filtered by app.tenant_id, set per transaction by withTenant().
-- A missing context yields NULL, and NULL matches no row: nothing, never everything.
CREATE FUNCTION app_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Platform tables (rows that belong to no tenant yet, such as unroutable webhooks) are reachable only
-- inside withPlatform(), which sets app.platform for one transaction.
CREATE FUNCTION app_platform_scope() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$;

-- Enables and forces RLS on a tenant table with the one policy every tenant table shares. The migration
-- owner keeps access so that SECURITY DEFINER routines (routing a webhook to its tenant, authenticating a
-- key, retention sweeps) work even where the owner is not a superuser.
CREATE FUNCTION enable_tenant_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = app_tenant_id() OR current_user = %L) '
    'WITH CHECK (tenant_id = app_tenant_id() OR current_user = %L)',
    tbl, current_user, current_user);
END
$$;

CREATE FUNCTION enable_platform_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY platform_scope ON %s USING (app_platform_scope() OR current_user = %L) '
    'WITH CHECK (app_platform_scope() OR current_user = %L)',
    tbl, current_user, current_user);
END
$$;

-- Serialises work on the same natural keys (a contact's wa_id/user_id, a wamid) across concurrent
-- transactions. Keys are locked in one global order so two batches can never deadlock on each other.
CREATE FUNCTION lock_keys(keys text[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  h bigint;
BEGIN
  FOR h IN SELECT DISTINCT hashtextextended(k, 0) FROM unnest(keys) AS k ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(h);
  END LOOP;
END
$$;
