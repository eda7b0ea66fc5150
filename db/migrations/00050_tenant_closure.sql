-- Tenant closure (issue 12): an operator closes a tenant; it becomes read-only, its admins can export
-- everything, and after a grace period of at most 90 days everything of it is purged. The tenant's row
-- stays as a tombstone ("Closed account", nothing personal) so that ids seen elsewhere (operators'
-- sessions, logs) still name something.
--
--   closed_at    when it was closed; null while open
--   purge_after  closed_at + the grace period (1–90 days): the purge sweep removes everything after it
--   closed_by    the operator who closed it
--   purged_at    when the purge ran; a purged tenant cannot be reopened
ALTER TABLE tenants
  ADD COLUMN closed_at   timestamptz,
  ADD COLUMN purge_after timestamptz,
  ADD COLUMN closed_by   uuid,
  ADD COLUMN purged_at   timestamptz;
ALTER TABLE tenants ADD CONSTRAINT tenants_closure_grace
  CHECK ((closed_at IS NULL) = (purge_after IS NULL)
         AND (purge_after IS NULL OR (purge_after > closed_at AND purge_after <= closed_at + interval '90 days')));
ALTER TABLE tenants ADD CONSTRAINT tenants_purged_is_anonymous
  CHECK (purged_at IS NULL OR (closed_at IS NOT NULL AND name = 'Closed account'));
CREATE INDEX tenants_to_purge ON tenants (purge_after) WHERE purge_after IS NOT NULL AND purged_at IS NULL;

-- Whether the transaction's tenant is open (takes changes). The api asks it before every mutation of a
-- person or key (api/src/schema/read-only-when-closed.ts).
CREATE FUNCTION tenant_is_open() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce((SELECT t.closed_at IS NULL FROM tenants t WHERE t.id = app_tenant_id()), false) $$;

-- For ingest, which routes before it has a tenant scope: which of these tenants are closed (ids only).
CREATE FUNCTION closed_tenants(p_ids uuid[]) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM tenants WHERE id = ANY (p_ids) AND closed_at IS NOT NULL $$;

-- A full export of a tenant (Mutation.exportTenant): a zip in the blob store, downloadable by its
-- admins until expires_at (the tenant's export_days), then deleted by the retention sweep.
CREATE TABLE tenant_exports (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  blob_key   text NOT NULL,
  byte_size  bigint NOT NULL CHECK (byte_size >= 0),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key')),
  actor_id   uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tenant_exports_expiry ON tenant_exports (tenant_id, expires_at);
SELECT enable_tenant_rls('tenant_exports');

-- Tenants whose grace has passed at p_now and that are not purged yet, oldest first.
CREATE FUNCTION tenants_due_for_purge(p_now timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM tenants WHERE purge_after <= p_now AND purged_at IS NULL ORDER BY purge_after, id $$;

-- Removes every row of every table with a tenant_id that belongs to the tenant (the audit log
-- included, which only the owner may delete), queues the deletion of every blob those rows name
-- (tables with a blob_key column), and leaves the tenant's row as a tombstone. Runs only for a closed
-- tenant whose purge_after is at or before p_now; answers the rows removed, or null when it was not due.
-- Tables are emptied in whatever order their foreign keys allow: a delete that another table's rows
-- still reference is tried again after the others.
CREATE FUNCTION purge_closed_tenant(p_tenant uuid, p_now timestamptz) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  tbl       text;
  pending   text[];
  remaining text[];
  progress  boolean;
  k         bigint;
  n         bigint := 0;
BEGIN
  PERFORM 1 FROM tenants WHERE id = p_tenant AND closed_at IS NOT NULL AND purged_at IS NULL AND purge_after <= p_now FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  FOR tbl IN
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.columns b ON b.table_schema = c.table_schema AND b.table_name = c.table_name AND b.column_name = 'blob_key'
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
  LOOP
    EXECUTE format(
      'SELECT count(graphile_worker.add_job(''delete_media_blob'', json_build_object(''key'', blob_key), max_attempts => 25)) '
      'FROM %I WHERE tenant_id = $1 AND blob_key IS NOT NULL', tbl) USING p_tenant;
  END LOOP;
  pending := ARRAY(
    SELECT c.table_name::text FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
     ORDER BY 1);
  LOOP
    remaining := '{}';
    progress := false;
    FOREACH tbl IN ARRAY pending LOOP
      BEGIN
        EXECUTE format('DELETE FROM %I WHERE tenant_id = $1', tbl) USING p_tenant;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
        progress := true;
      EXCEPTION WHEN foreign_key_violation THEN
        remaining := remaining || tbl;
      END;
    END LOOP;
    EXIT WHEN cardinality(remaining) = 0;
    IF NOT progress THEN
      RAISE EXCEPTION 'purge of tenant % is blocked by foreign keys among %', p_tenant, remaining;
    END IF;
    pending := remaining;
  END LOOP;
  UPDATE tenants SET name = 'Closed account', purged_at = p_now WHERE id = p_tenant;
  RETURN n;
END
$$;
