-- Every insert into a table with a foreign key to tenants takes FOR KEY SHARE on that tenant's one row.
-- On the high-volume tables all of a tenant's concurrent ingests then contend on a single row (and
-- multixacts). These tables are already pinned to their tenant by row-level security (WITH CHECK
-- tenant_id = app_tenant_id()), so the key to tenants adds cost without adding protection; the
-- low-volume tables keep theirs.
ALTER TABLE messages DROP CONSTRAINT messages_tenant_id_fkey;
ALTER TABLE status_events DROP CONSTRAINT status_events_tenant_id_fkey;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_tenant_id_fkey;
ALTER TABLE conversations DROP CONSTRAINT conversations_tenant_id_fkey;
ALTER TABLE contacts DROP CONSTRAINT contacts_tenant_id_fkey;
