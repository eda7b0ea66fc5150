-- Onboarding: platform operators create tenants and see an overview of every tenant; tenants connect
-- their WhatsApp numbers through Embedded Signup, and each number keeps what Meta last said about it.

-- Operators work in the platform scope (withPlatform): there they may create tenants and read them.
-- Inside a tenant scope nothing changes: a tenant still sees only itself.
CREATE POLICY platform_scope ON tenants
  USING (app_platform_scope())
  WITH CHECK (app_platform_scope());

-- Meta's quality rating of the number (GREEN, YELLOW, RED, UNKNOWN) as of its last connection.
ALTER TABLE phone_numbers ADD COLUMN quality_rating text;

-- For the operators' list: counts per tenant, nothing of their content. Answers only in the platform
-- scope, so a tenant-scoped caller learns nothing about other tenants.
CREATE FUNCTION tenant_overviews(p_ids uuid[])
  RETURNS TABLE (tenant_id uuid, people integer, phone_numbers integer, connected_numbers integer, troubled_numbers integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT t.id,
           (SELECT count(*)::integer FROM users u WHERE u.tenant_id = t.id AND u.deactivated_at IS NULL),
           (SELECT count(*)::integer FROM phone_numbers p WHERE p.tenant_id = t.id),
           (SELECT count(*)::integer FROM phone_numbers p WHERE p.tenant_id = t.id AND p.status = 'connected'),
           (SELECT count(*)::integer FROM phone_numbers p
             WHERE p.tenant_id = t.id AND p.status IN ('needs_reauthorisation', 'disconnected'))
      FROM tenants t
     WHERE app_platform_scope() AND t.id = ANY (p_ids)
  $$;
