-- What the retention sweeps (api/src/retention) need beyond the application role's own rights. Each
-- reveals or removes only what its tenant's policy allows.

-- The tenants a sweep visits: ids only.
CREATE FUNCTION retention_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM tenants ORDER BY id $$;

-- Audit entries of the transaction's tenant older than its audit_days, oldest first, at most p_limit.
-- The application role may not delete audit entries (00033); this is the one way it can, and only past
-- the tenant's audit period. Its clock may be set back (tests) but never ahead of the database's: no
-- caller can age an entry into deletion.
CREATE FUNCTION purge_expired_audit_events(p_now timestamptz, p_limit integer) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  tenant uuid := app_tenant_id();
  cutoff timestamptz;
  n      bigint;
BEGIN
  IF tenant IS NULL THEN
    RETURN 0;
  END IF;
  cutoff := least(p_now, now()) - make_interval(days => (retention_policy_of(tenant)).audit_days);
  DELETE FROM audit_events a
   WHERE a.tenant_id = tenant
     AND a.id IN (SELECT e.id FROM audit_events e
                   WHERE e.tenant_id = tenant AND e.at < cutoff
                   ORDER BY e.at LIMIT least(greatest(p_limit, 1), 5000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- The WABAs a dead letter's body speaks for (entry[].id of a Meta webhook body); none when the body is
-- not such JSON (a body the api could not accept).
CREATE FUNCTION dead_letter_wabas(p_body text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  RETURN ARRAY(SELECT DISTINCT e ->> 'id' FROM json_array_elements(p_body::json -> 'entry') e WHERE e ->> 'id' IS NOT NULL);
EXCEPTION WHEN others THEN
  RETURN '{}';
END
$$;

-- Dead letters belong to no tenant (they are kept before any routing succeeded), so each is kept as
-- long as the shortest dead_letter_days of the tenants whose WABAs its body names, or p_default_days
-- when it names none. Removes at most p_limit per call and answers how many per tenant (null: none).
-- Dead letters are few (each is a delivery that failed every retry), so every one older than a day,
-- the shortest any policy allows, is considered.
CREATE FUNCTION purge_expired_dead_letters(p_now timestamptz, p_default_days integer, p_limit integer)
  RETURNS TABLE (tenant_id uuid, purged bigint)
  LANGUAGE sql SECURITY DEFINER SET search_path = public
  AS $$
    WITH owners AS (
      SELECT d.id, d.created_at, a.tenant_id
        FROM dead_letters d
        LEFT JOIN whatsapp_accounts a ON a.waba_id = ANY (dead_letter_wabas(d.body))
       WHERE d.created_at < p_now - interval '1 day'
    ), due AS (
      SELECT o.id FROM owners o
       GROUP BY o.id, o.created_at
      HAVING o.created_at < p_now - make_interval(days => coalesce(
               min((retention_policy_of(o.tenant_id)).dead_letter_days) FILTER (WHERE o.tenant_id IS NOT NULL),
               p_default_days))
       ORDER BY o.created_at
       LIMIT p_limit
    ), gone AS (
      DELETE FROM dead_letters d USING due WHERE d.id = due.id RETURNING d.id
    )
    SELECT o.tenant_id, count(*) FROM gone JOIN owners o ON o.id = gone.id GROUP BY o.tenant_id
  $$;

-- Raw copies are now swept per tenant by its policy (api/src/retention/sweeps.ts), in batches.
DROP FUNCTION purge_webhook_events(interval);
