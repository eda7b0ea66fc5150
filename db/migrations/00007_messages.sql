-- Messages in both directions. (tenant_id, wamid) is the idempotency key for everything Meta sends us:
-- the same message delivered twice, or inside two different webhook bodies, lands once.
CREATE TABLE messages (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  contact_id      uuid NOT NULL,
  phone_number_id text NOT NULL,
  wamid           text,
  direction       text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  type            text NOT NULL,
  -- Plain text for previews and search: the body, caption or reply title.
  text            text,
  -- The typed content of the message, normalised per type (see api/src/ingest/parse-message.ts).
  content         jsonb NOT NULL DEFAULT '{}',
  context         jsonb,
  status          text NOT NULL,
  errors          jsonb NOT NULL DEFAULT '[]',
  -- Fields Meta sent that this version does not model yet: kept, never an error.
  extra           jsonb,
  -- When the message happened according to Meta (inbound) or when we created it (outbound).
  sent_at         timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
CREATE UNIQUE INDEX messages_wamid ON messages (tenant_id, wamid);
CREATE INDEX messages_timeline ON messages (tenant_id, conversation_id, sent_at, id);

-- Delivery statuses as Meta reports them, one row per distinct report. Kept even when the wamid is not
-- known yet (a status can arrive before the send call returns); applied when the message appears.
CREATE TABLE status_events (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  wamid             text NOT NULL,
  status            text NOT NULL,
  occurred_at       timestamptz NOT NULL,
  recipient_id      text,
  recipient_user_id text,
  conversation      jsonb,
  pricing           jsonb,
  errors            jsonb NOT NULL DEFAULT '[]',
  extra             jsonb,
  received_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, wamid, status, occurred_at)
);

SELECT enable_tenant_rls('messages');
SELECT enable_tenant_rls('status_events');

-- The delivery state machine: sent < delivered < read < played; failed is terminal. A status only ever
-- moves a message forward, whatever order the reports arrive in.
CREATE FUNCTION message_status_rank(status text) RETURNS smallint
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT CASE status
      WHEN 'received' THEN 0 WHEN 'pending' THEN 0
      WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4
      WHEN 'failed' THEN 5
      ELSE 0 END::smallint
  $$;

-- Whenever a message gains a wamid, fold in statuses that arrived before it. The advisory lock on the
-- wamid is the one ingest takes before applying statuses, so neither side can miss the other.
CREATE FUNCTION apply_pending_statuses() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  best record;
BEGIN
  IF NEW.wamid IS NULL OR NEW.direction <> 'outbound' THEN
    RETURN NEW;
  END IF;
  PERFORM lock_keys(ARRAY['m:' || NEW.tenant_id || ':' || NEW.wamid]);
  SELECT s.status, s.errors INTO best
    FROM status_events s
   WHERE s.tenant_id = NEW.tenant_id AND s.wamid = NEW.wamid
   ORDER BY message_status_rank(s.status) DESC, s.occurred_at DESC
   LIMIT 1;
  IF FOUND AND message_status_rank(best.status) > message_status_rank(NEW.status) THEN
    NEW.status := best.status;
    IF jsonb_array_length(best.errors) > 0 THEN
      NEW.errors := best.errors;
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER messages_apply_pending_statuses
  BEFORE INSERT OR UPDATE OF wamid ON messages
  FOR EACH ROW EXECUTE FUNCTION apply_pending_statuses();
