-- What else Meta tells us about messages: echoes of what a coexistence business sent from the WhatsApp
-- Business app, and customers' edits and revokes of their own messages.
--
-- `origin` marks outbound messages Switchboard did not send: 'business_app' for an echo of what the
-- business sent from the WhatsApp Business app (null: inbound, or sent through Switchboard). Echoes are
-- outbound but never open the 24-hour window.
ALTER TABLE messages
  ADD COLUMN origin text CHECK (origin IN ('business_app')),
  ADD COLUMN edited_at timestamptz,
  ADD COLUMN revoked_at timestamptz,
  -- Earlier versions of an edited message, oldest first: [{text, at}]. Emptied when the customer revokes.
  ADD COLUMN previous_versions jsonb NOT NULL DEFAULT '[]';

-- An edit or revoke — by the customer of their message, or by the business in the WhatsApp Business app of
-- an echoed one — keyed by its own wamid (Meta delivers it like a message, with retries).
-- It can arrive before the message it changes: it waits here, unapplied, until that message is stored
-- (the same lock on the original's wamid orders the two). Once applied, the new text is dropped from
-- this row: the message holds it, and a later revoke must leave no copy behind.
CREATE TABLE message_revisions (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  wamid         text NOT NULL,
  original_wamid text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('edit', 'revoke')),
  -- Whose message it changes: a customer changes only their own messages, the business only its echoes.
  author        text NOT NULL CHECK (author IN ('customer', 'business_app')),
  text          text,
  content       jsonb,
  occurred_at   timestamptz NOT NULL,
  applied_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, wamid)
);
CREATE INDEX message_revisions_pending ON message_revisions (tenant_id, original_wamid) WHERE applied_at IS NULL;
SELECT enable_tenant_rls('message_revisions');
