-- A closed tenant is read-only (00050). The api refuses every mutation of its people and keys and
-- ingest drops its webhooks; this holds the line in the database too: no new rows of tenant data for a
-- closed tenant, whichever code path tries. One check per statement (not per row), only for the
-- application role acting in a tenant scope, so ingest and sends pay one primary-key lookup per insert
-- statement. Deletes (retention during the grace period, erasure) and the owner's purge are untouched;
-- sign-ins (sessions), the audit log and exports are not tenant data in this sense and stay writable.
CREATE FUNCTION refuse_inserts_when_closed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_user = 'switchboard_app'
     AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = app_tenant_id() AND t.closed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'tenant % is closed: % takes no new rows', app_tenant_id(), TG_TABLE_NAME
      USING ERRCODE = 'read_only_sql_transaction';
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY[
    'contacts', 'conversations', 'messages', 'status_events', 'message_revisions', 'webhook_events',
    'conversation_notes', 'conversation_labels', 'conversation_events', 'labels', 'canned_responses',
    'departments', 'department_members', 'users', 'invitations', 'api_keys', 'media', 'consent_events',
    'retention_policies', 'phone_numbers', 'whatsapp_accounts', 'message_templates'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER refuse_inserts_when_closed BEFORE INSERT ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_inserts_when_closed()', tbl);
  END LOOP;
END
$$;
