-- Customers. Since April 2026 Meta identifies a user by a business-scoped user id (user_id, "BSUID") and,
-- unless the user hides it behind a username, by phone (wa_id). Either may be absent; both are unique.
CREATE TABLE contacts (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  wa_id             text,
  user_id           text,
  parent_user_id    text,
  display_name      text,
  opted_out         boolean NOT NULL DEFAULT false,
  opted_out_at      timestamptz,
  marketing_opt_out boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE UNIQUE INDEX contacts_wa_id ON contacts (tenant_id, wa_id) WHERE wa_id IS NOT NULL;
CREATE UNIQUE INDEX contacts_user_id ON contacts (tenant_id, user_id) WHERE user_id IS NOT NULL;

SELECT enable_tenant_rls('contacts');
