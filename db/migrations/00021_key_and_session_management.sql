-- Managing partner keys and sessions from the api: where a key came from, a hint to recognise it by,
-- and row-level security that narrows people by role underneath the schema's own checks.

-- A key is made by a person (created_by) or by another admin key (created_by_key); revoking a key also
-- revokes the keys it made, so a leaked key cannot leave children behind. last_four with the stored
-- prefix lets an admin recognise a key ("sb_live_1a2b…9f0e") without the secret.
ALTER TABLE api_keys
  ADD COLUMN created_by_key uuid,
  ADD COLUMN last_four      text CHECK (length(last_four) = 4);
CREATE INDEX api_keys_created_by_key ON api_keys (tenant_id, created_by_key) WHERE created_by_key IS NOT NULL;

-- Restrictive, so they narrow the tenant policy and never widen it. A person's transaction carries
-- app.user_id and app.role; keys, sign-in and jobs carry the tenant only and are not narrowed here (a key's
-- scopes are checked in the schema). The migration owner keeps access for SECURITY DEFINER routines.
DO $$
BEGIN
  -- Only admins among people see partner keys at all.
  EXECUTE format(
    'CREATE POLICY admin_keys ON api_keys AS RESTRICTIVE '
    'USING (app_user_id() IS NULL OR coalesce(current_setting(''app.role'', true), '''') = ''admin'' OR current_user = %L)',
    current_user);
  -- People see and end their own sessions; admins those of everyone in the tenant.
  EXECUTE format(
    'CREATE POLICY own_sessions ON sessions AS RESTRICTIVE '
    'USING (tenant_id IS NULL OR app_user_id() IS NULL OR user_id = app_user_id() '
    '       OR coalesce(current_setting(''app.role'', true), '''') = ''admin'' OR current_user = %L)',
    current_user);
END
$$;
