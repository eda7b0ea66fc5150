-- Raw webhook changes as Meta sent them, per tenant: the audit trail and the first line of dedupe
-- (an identical change delivered again is recognised by its hash and skipped). Short retention.
CREATE TABLE webhook_events (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  waba_id        text NOT NULL,
  field          text NOT NULL,
  payload        jsonb NOT NULL,
  payload_sha256 text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, payload_sha256)
);
CREATE INDEX webhook_events_received ON webhook_events (tenant_id, received_at);
SELECT enable_tenant_rls('webhook_events');

-- Changes for a phone number or WABA no tenant owns: kept (a number may be onboarded late), never retried
-- forever and never an error.
CREATE TABLE unroutable_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  waba_id         text,
  phone_number_id text,
  field           text NOT NULL,
  payload         jsonb NOT NULL,
  payload_sha256  text NOT NULL UNIQUE,
  received_at     timestamptz NOT NULL DEFAULT now()
);
SELECT enable_platform_rls('unroutable_events');

-- Queue messages the edge could not get committed after all retries, and bodies the api could not
-- accept. Kept whole, visible, and replayable.
CREATE TABLE dead_letters (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  queue_message_id text,
  body             text NOT NULL,
  body_sha256      text NOT NULL UNIQUE,
  reason           text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  received_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  replayed_at      timestamptz
);
SELECT enable_platform_rls('dead_letters');

-- Retention for raw copies, run by the api on a timer; crosses tenants, so it runs as the owner.
CREATE FUNCTION purge_webhook_events(older_than interval) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  n bigint;
  m bigint;
BEGIN
  DELETE FROM webhook_events WHERE received_at < now() - older_than;
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM unroutable_events WHERE received_at < now() - older_than * 4;
  GET DIAGNOSTICS m = ROW_COUNT;
  RETURN n + m;
END
$$;
