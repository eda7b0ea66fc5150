-- People who work in a tenant (agents, managers, admins) and the platform operators who create tenants.
-- Passwords are argon2id hashes (PHC strings) made by the api; sessions store only a SHA-256 of their
-- random token, so a database read never yields a usable cookie.
CREATE TABLE users (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  email               text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  name                text NOT NULL,
  role                text NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
  password_hash       text NOT NULL,
  -- How many open or pending conversations auto-assignment may give this person at once.
  capacity            integer NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 0 AND 1000),
  presence            text NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
  presence_changed_at timestamptz NOT NULL DEFAULT now(),
  -- Round-robin turns: the person assigned longest ago goes next.
  last_assigned_at    timestamptz,
  deactivated_at      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- One sign-in name across the platform, so login needs no tenant picker.
CREATE UNIQUE INDEX users_email ON users (email);
SELECT enable_tenant_rls('users');

CREATE TABLE operators (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND position('@' IN email) > 1),
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
SELECT enable_platform_rls('operators');

-- A session belongs to a user of one tenant, or (tenant_id null) to an operator.
CREATE TABLE sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash   text NOT NULL UNIQUE,
  tenant_id    uuid REFERENCES tenants (id),
  user_id      uuid,
  operator_id  uuid REFERENCES operators (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  user_agent   text,
  CHECK ((tenant_id IS NOT NULL AND user_id IS NOT NULL AND operator_id IS NULL)
      OR (tenant_id IS NULL AND user_id IS NULL AND operator_id IS NOT NULL)),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY session_scope ON sessions
  USING ((tenant_id IS NOT NULL AND tenant_id = app_tenant_id())
      OR (tenant_id IS NULL AND app_platform_scope()))
  WITH CHECK ((tenant_id IS NOT NULL AND tenant_id = app_tenant_id())
      OR (tenant_id IS NULL AND app_platform_scope()));

-- Sign-in runs before any tenant is known: this reveals only what checking a password needs.
CREATE FUNCTION find_login(p_email text)
  RETURNS TABLE (kind text, tenant_id uuid, principal_id uuid, password_hash text, active boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT 'user', u.tenant_id, u.id, u.password_hash, u.deactivated_at IS NULL
      FROM users u WHERE u.email = lower(p_email)
    UNION ALL
    SELECT 'operator', NULL, o.id, o.password_hash, true
      FROM operators o WHERE o.email = lower(p_email)
  $$;

-- Resolves a session token hash to its principal, sliding last_seen_at at most once a minute.
CREATE FUNCTION authenticate_session(p_hash text)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, operator_id uuid, role text, expires_at timestamptz)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
BEGIN
  RETURN QUERY
    SELECT s.id, s.tenant_id, s.user_id, s.operator_id,
           CASE WHEN s.operator_id IS NOT NULL THEN 'operator' ELSE u.role END, s.expires_at
      FROM sessions s
      LEFT JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE s.token_hash = p_hash AND s.revoked_at IS NULL AND s.expires_at > now()
       AND (s.operator_id IS NOT NULL OR u.deactivated_at IS NULL);
  UPDATE sessions s SET last_seen_at = now()
   WHERE s.token_hash = p_hash AND s.last_seen_at < now() - interval '1 minute';
END
$$;

-- Counters for sign-in throttling (rate-limiter-flexible's Postgres store layout). Keys are hashes of
-- the account name or client address, never the values themselves.
CREATE TABLE login_throttle (
  key    varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- Partner keys gain a creator; keys stay scoped and revocable.
ALTER TABLE api_keys ADD COLUMN created_by uuid;

-- The first keys carried one catch-all scope; they keep what it allowed: reading and sending.
UPDATE api_keys SET scopes = ARRAY['read', 'send'] WHERE scopes = ARRAY['graphql'];
