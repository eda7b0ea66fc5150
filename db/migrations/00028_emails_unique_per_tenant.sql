-- Sign-in names are unique within a tenant, no longer across the platform: a platform-wide rule made
-- createUser answer differently for an email another tenant uses, telling one tenant about another's
-- people. Sign-in tries every account with the email and the password picks the one (find_login's
-- order decides between accounts that share a password: the oldest first).
DROP INDEX users_email;
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email);
CREATE INDEX users_email ON users (email);

CREATE OR REPLACE FUNCTION find_login(p_email text)
  RETURNS TABLE (kind text, tenant_id uuid, principal_id uuid, password_hash text, active boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT kind, tenant_id, principal_id, password_hash, active FROM (
      SELECT 'user' AS kind, u.tenant_id, u.id AS principal_id, u.password_hash, u.deactivated_at IS NULL AS active, u.created_at
        FROM users u WHERE u.email = lower(p_email)
      UNION ALL
      SELECT 'operator', NULL, o.id, o.password_hash, true, o.created_at
        FROM operators o WHERE o.email = lower(p_email)
    ) candidates
    ORDER BY created_at, principal_id
  $$;
