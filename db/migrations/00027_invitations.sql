-- Invitations: a new person sets their own password through a single-use link that expires, so nobody
-- (admin or key) ever chooses a password for someone else. A person without a password cannot sign in
-- (find_login returns a null hash, which no password matches). Only a SHA-256 of the link's random
-- token is stored, like sessions and keys.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

CREATE TABLE invitations (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL,
  token_hash     text NOT NULL,
  -- Who issued it: a person of the tenant, or a partner key.
  created_by     uuid,
  created_by_key uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz,
  -- Set when a newer invitation replaces this one.
  revoked_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_open ON invitations (tenant_id, user_id) WHERE used_at IS NULL AND revoked_at IS NULL;
SELECT enable_tenant_rls('invitations');

-- Among people only admins see invitations (keys and the invitee's own acceptance run without a person).
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY admin_invitations ON invitations AS RESTRICTIVE '
    'USING (app_user_id() IS NULL OR coalesce(current_setting(''app.role'', true), '''') = ''admin'' OR current_user = %L)',
    current_user);
END
$$;

-- The invitee opens the link before any tenant is known: this resolves a token hash to its invitation
-- while it can still be used (not used, not replaced, not expired, the person still active), and says
-- only what the invitee needs to see: whose invitation it is and for which tenant.
CREATE FUNCTION find_invitation(p_hash text)
  RETURNS TABLE (invitation_id uuid, tenant_id uuid, user_id uuid, tenant_name text, email text, name text, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT i.id, i.tenant_id, i.user_id, t.name, u.email, u.name, i.expires_at
      FROM invitations i
      JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.user_id
      JOIN tenants t ON t.id = i.tenant_id
     WHERE i.token_hash = p_hash AND i.used_at IS NULL AND i.revoked_at IS NULL
       AND i.expires_at > now() AND u.deactivated_at IS NULL
  $$;
