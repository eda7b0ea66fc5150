-- Erasure reaches into the audit log only to blank values of the erased person that an entry quotes
-- (a rectification's old and new name). Entries stay, with their action, actor, target and time; nothing
-- else may change them. The application role still cannot UPDATE audit_events: it calls
-- redact_audit_values, which runs as the owner and changes only `detail`, only of the entries naming
-- that target.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_user <> 'switchboard_app' AND current_setting('app.audit_redaction', true) = 'on'
     AND (NEW.tenant_id, NEW.id, NEW.at, NEW.action, NEW.actor_kind, NEW.actor_id, NEW.target_kind, NEW.target_id, NEW.address)
         IS NOT DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.at, OLD.action, OLD.actor_kind, OLD.actor_id, OLD.target_kind, OLD.target_id, OLD.address)
     AND NEW.detail = (OLD.detail - 'values') || '{"values": "erased"}'::jsonb THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' OR current_user = 'switchboard_app' THEN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
  RETURN NULL;
END
$$;

-- Blanks the `values` an entry quotes, for the entries of the caller's tenant about one target.
CREATE FUNCTION redact_audit_values(target_kind text, target_id text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM set_config('app.audit_redaction', 'on', true);
  UPDATE audit_events e
     SET detail = (e.detail - 'values') || '{"values": "erased"}'::jsonb
   WHERE e.tenant_id = app_tenant_id() AND e.target_kind = redact_audit_values.target_kind
     AND e.target_id = redact_audit_values.target_id AND e.detail ? 'values';
  GET DIAGNOSTICS changed = ROW_COUNT;
  PERFORM set_config('app.audit_redaction', 'off', true);
  RETURN changed;
END
$$;
