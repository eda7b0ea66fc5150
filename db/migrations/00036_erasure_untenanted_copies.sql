-- Dead letters and unroutable deliveries belong to no tenant (they were kept before routing succeeded),
-- so the application role cannot see them. An erasure still has to remove those that name the erased
-- customer: this function does it for one contact of the caller's tenant, by that contact's own phone
-- number and business-scoped ids (never by a string the caller chooses), before the contact is
-- anonymised. Answers how many it removed.
CREATE FUNCTION erase_untenanted_copies(p_contact uuid) RETURNS TABLE (dead_letters bigint, unroutable bigint)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  needles text[];
  d bigint;
  u bigint;
BEGIN
  SELECT array_remove(ARRAY['"' || c.wa_id || '"', '"' || c.user_id || '"', '"' || c.parent_user_id || '"'], NULL)
    INTO needles
    FROM contacts c WHERE c.tenant_id = app_tenant_id() AND c.id = p_contact;
  IF needles IS NULL OR cardinality(needles) = 0 THEN
    RETURN QUERY SELECT 0::bigint, 0::bigint;
    RETURN;
  END IF;
  DELETE FROM dead_letters x WHERE EXISTS (SELECT 1 FROM unnest(needles) n WHERE strpos(x.body, n) > 0);
  GET DIAGNOSTICS d = ROW_COUNT;
  DELETE FROM unroutable_events x WHERE EXISTS (SELECT 1 FROM unnest(needles) n WHERE strpos(x.payload::text, n) > 0);
  GET DIAGNOSTICS u = ROW_COUNT;
  RETURN QUERY SELECT d, u;
END
$$;
