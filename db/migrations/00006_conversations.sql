CREATE TABLE conversations (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id        uuid NOT NULL,
  phone_number_id   text NOT NULL,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved')),
  last_inbound_at   timestamptz,
  -- The customer-service window: 24 hours from the latest inbound message.
  window_expires_at timestamptz,
  last_message_at   timestamptz NOT NULL,
  last_message_id   uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  resolved_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
  FOREIGN KEY (tenant_id, phone_number_id) REFERENCES phone_numbers (tenant_id, phone_number_id)
);
-- At most one unresolved conversation per contact and business number: concurrent ingests that would
-- open a second one collide here instead of racing.
CREATE UNIQUE INDEX conversations_one_active
  ON conversations (tenant_id, contact_id, phone_number_id) WHERE status <> 'resolved';
CREATE INDEX conversations_recent ON conversations (tenant_id, last_message_at DESC, id DESC);

SELECT enable_tenant_rls('conversations');
