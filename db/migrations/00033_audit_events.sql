-- The audit log (issue 12): who did what to what, when and from where, per tenant. Entries hold ids,
-- not names or message text: labels are read from the people, keys and contacts they point at, so an
-- erased person's entries keep their shape without their identity. `detail` holds no personal data.
--
-- Append-only. The application role may insert and read entries and nothing else: its UPDATE and
-- DELETE privileges are revoked, and a trigger refuses both to it even if they were granted again. An
-- UPDATE is refused to every role; only a maintenance role (the owner: retention past the tenant's audit
-- period) may delete.
CREATE TABLE audit_events (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  at          timestamptz NOT NULL DEFAULT now(),
  -- Dotted and stable: session.signed_in, user.role_changed, privacy.erasure.completed …
  action      text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  -- anonymous: someone not signed in (a failed sign-in); system: Switchboard itself (retention, jobs).
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'operator', 'system', 'customer', 'anonymous')),
  actor_id    uuid,
  target_kind text,
  target_id   text,
  address     inet,
  detail      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id),
  CHECK ((target_kind IS NULL) = (target_id IS NULL))
);
CREATE INDEX audit_events_recent ON audit_events (tenant_id, at DESC, id DESC);
CREATE INDEX audit_events_by_actor ON audit_events (tenant_id, actor_id, at DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_events_by_action ON audit_events (tenant_id, action, at DESC);
SELECT enable_tenant_rls('audit_events');
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM switchboard_app;

CREATE FUNCTION audit_events_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR current_user = 'switchboard_app' THEN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- A maintenance role's DELETE (row) or TRUNCATE (statement) goes ahead.
  IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
  RETURN NULL;
END
$$;
-- Row triggers for UPDATE and DELETE, a statement trigger for TRUNCATE (which fires no row triggers).
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
