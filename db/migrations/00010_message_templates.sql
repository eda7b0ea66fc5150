-- Message templates as Meta reports them; for now kept current by template-status webhooks.
CREATE TABLE message_templates (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  waba_id     text NOT NULL,
  template_id text NOT NULL,
  name        text NOT NULL,
  language    text NOT NULL,
  category    text,
  status      text NOT NULL,
  reason      text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, template_id)
);
SELECT enable_tenant_rls('message_templates');
