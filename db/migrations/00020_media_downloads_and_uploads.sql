-- Media agents may see: inbound media downloaded by a job, and files agents upload to send. Who
-- uploaded a file is kept so an agent sees their own uploads before they are sent; once media belongs
-- to a message it is visible exactly to those who may see that message (RLS on messages decides).
ALTER TABLE media ADD COLUMN uploaded_by uuid;

CREATE POLICY agent_scope ON media AS RESTRICTIVE
  USING (NOT app_is_agent()
         OR (message_id IS NULL AND uploaded_by = app_user_id())
         OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = media.tenant_id AND m.id = media.message_id));

-- Ingest inserts a media row with every inbound media message; like messages (00013), the table is
-- pinned to its tenant by RLS, and the key to tenants would make a tenant's concurrent ingests contend
-- on its one tenants row.
ALTER TABLE media DROP CONSTRAINT media_tenant_id_fkey;
