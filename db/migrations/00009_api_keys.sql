-- Partner API keys. Only a SHA-256 of the key is stored (keys are 128-bit random, so a fast hash is
-- enough); the secret is shown once when created.
CREATE TABLE api_keys (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL,
  scopes       text[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
SELECT enable_tenant_rls('api_keys');

CREATE FUNCTION authenticate_api_key(hash text)
  RETURNS TABLE (tenant_id uuid, key_id uuid, scopes text[])
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
BEGIN
  RETURN QUERY
    SELECT k.tenant_id, k.id, k.scopes FROM api_keys k WHERE k.key_hash = hash AND k.revoked_at IS NULL;
  -- Recorded at most once a minute so a busy key does not turn every request into a row update.
  UPDATE api_keys k SET last_used_at = now()
   WHERE k.key_hash = hash AND k.revoked_at IS NULL
     AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
END
$$;
