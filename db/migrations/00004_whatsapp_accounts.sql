-- A tenant's WhatsApp Business Accounts and their phone numbers. Meta routes nothing by tenant: we route
-- every webhook by metadata.phone_number_id (or, for account-level fields, by the WABA id in entry[].id).
CREATE TABLE whatsapp_accounts (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  waba_id          text NOT NULL,
  name             text,
  status           text NOT NULL DEFAULT 'active',
  last_event       text,
  restriction_info jsonb,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, waba_id)
);
-- One WABA belongs to one tenant across the platform.
CREATE UNIQUE INDEX whatsapp_accounts_waba_id ON whatsapp_accounts (waba_id);

CREATE TABLE phone_numbers (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  waba_id              text NOT NULL,
  phone_number_id      text NOT NULL,
  display_phone_number text NOT NULL,
  verified_name        text,
  status               text NOT NULL DEFAULT 'connected',
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, phone_number_id),
  FOREIGN KEY (tenant_id, waba_id) REFERENCES whatsapp_accounts (tenant_id, waba_id)
);
CREATE UNIQUE INDEX phone_numbers_phone_number_id ON phone_numbers (phone_number_id);

SELECT enable_tenant_rls('whatsapp_accounts');
SELECT enable_tenant_rls('phone_numbers');

-- Routing lookups for ingest, which runs before any tenant context exists. They reveal only which
-- tenant owns an id, nothing of its data.
CREATE FUNCTION route_phone_numbers(ids text[])
  RETURNS TABLE (phone_number_id text, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT p.phone_number_id, p.tenant_id FROM phone_numbers p WHERE p.phone_number_id = ANY (ids) $$;

CREATE FUNCTION route_wabas(ids text[])
  RETURNS TABLE (waba_id text, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT a.waba_id, a.tenant_id FROM whatsapp_accounts a WHERE a.waba_id = ANY (ids) $$;
