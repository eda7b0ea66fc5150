-- Things that happen in a conversation that are not messages: a customer opening the chat for the
-- first time (request_welcome), calls and call-permission answers. One row per event, keyed by what
-- Meta identifies it with, so redeliveries land once. `details` holds no personal data: no names, no
-- phone numbers, no message text.
CREATE TABLE conversation_events (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('welcome_request', 'call', 'call_permission')),
  -- Meta's id for the event (a wamid, or a call id): the idempotency key.
  event_key       text NOT NULL,
  at              timestamptz NOT NULL,
  details         jsonb NOT NULL DEFAULT '{}',
  -- Until automation answers a welcome request; null for other kinds.
  handled_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, kind, event_key),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
);
CREATE INDEX conversation_events_timeline ON conversation_events (tenant_id, conversation_id, at);
CREATE INDEX conversation_events_unhandled ON conversation_events (tenant_id, at)
  WHERE kind = 'welcome_request' AND handled_at IS NULL;
SELECT enable_tenant_rls('conversation_events');
-- Agents see a conversation's events exactly when they see the conversation.
CREATE POLICY agent_scope ON conversation_events AS RESTRICTIVE
  USING (NOT app_is_agent() OR EXISTS (SELECT 1 FROM conversations c
                                        WHERE c.tenant_id = conversation_events.tenant_id
                                          AND c.id = conversation_events.conversation_id));

-- A call's state only moves forward: connecting/ringing < accepted < its outcome.
CREATE FUNCTION call_state_rank(status text) RETURNS smallint
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT CASE status
      WHEN 'connecting' THEN 1 WHEN 'ringing' THEN 1 WHEN 'accepted' THEN 2
      WHEN 'rejected' THEN 3 WHEN 'completed' THEN 3 WHEN 'failed' THEN 3
      ELSE 0 END::smallint
  $$;
