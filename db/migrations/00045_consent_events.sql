-- Consent history: how and when each customer opted in, out and back, and every restriction, objection
-- and consent withdrawal with who recorded it (api/src/contacts/consent.ts). The contact row keeps the
-- current state (opted_out, marketing_opt_out, restricted, consent_withdrawn_at) that sending and
-- assignment read; this table is the record of how it came to be. Append-only for the application.
CREATE TABLE consent_events (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id  uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL CHECK (kind IN (
                'opted_in', 'opted_out', 'opted_back_in', 'marketing_opted_out', 'marketing_opted_in',
                'restricted', 'restriction_lifted', 'objected', 'objection_lifted',
                'consent_withdrawn', 'consent_restored')),
  -- How an opt-in was given; only opt-ins have one. An import states its basis in words.
  basis       text CHECK (basis IN ('customer_wrote_first', 'template_opt_in', 'import')),
  statement   text CHECK (length(statement) <= 500),
  source      text NOT NULL CHECK (source IN ('customer', 'agent', 'admin', 'api_key', 'privacy_request', 'import')),
  -- The privacy request that made this change, when one did.
  request_id  uuid,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'customer')),
  actor_id    uuid,
  PRIMARY KEY (tenant_id, id),
  CHECK ((kind = 'opted_in') = (basis IS NOT NULL)),
  CHECK (basis <> 'import' OR statement IS NOT NULL),
  -- No key to tenants (00013: the contact already pins the tenant); a merged contact's events move to
  -- the surviving row before the other is deleted.
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consent_events_contact ON consent_events (tenant_id, contact_id, at, id);
SELECT enable_tenant_rls('consent_events');
REVOKE UPDATE ON consent_events FROM switchboard_app;

-- Withdrawn consent to processing (a CONSENT_WITHDRAWAL privacy request): no business-initiated sends,
-- no bots, no AI, no automatic assignment, until it is lifted.
ALTER TABLE contacts ADD COLUMN consent_withdrawn_at timestamptz;

-- Customers who have written are taken to have opted in when they first did (or, if their messages
-- are gone, when their contact was created); opt-outs already recorded get their event too.
INSERT INTO consent_events (tenant_id, contact_id, at, kind, basis, source, actor_kind)
SELECT ct.tenant_id, ct.id, coalesce(first.at, ct.created_at), 'opted_in', 'customer_wrote_first', 'customer', 'customer'
  FROM contacts ct
  LEFT JOIN LATERAL (
    SELECT min(m.sent_at) AS at FROM conversations c
      JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
     WHERE c.tenant_id = ct.tenant_id AND c.contact_id = ct.id AND m.direction = 'inbound' AND m.type <> 'system'
  ) first ON true
 WHERE first.at IS NOT NULL
    OR EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = ct.tenant_id AND c.contact_id = ct.id AND c.last_inbound_at IS NOT NULL);

INSERT INTO consent_events (tenant_id, contact_id, at, kind, source, actor_kind)
SELECT tenant_id, id, coalesce(opted_out_at, updated_at), 'opted_out', 'customer', 'customer' FROM contacts WHERE opted_out;
INSERT INTO consent_events (tenant_id, contact_id, at, kind, source, actor_kind)
SELECT tenant_id, id, updated_at, 'marketing_opted_out', 'customer', 'customer' FROM contacts WHERE marketing_opt_out;
