-- Sending through Meta: each business number's pace and connection state, the sealed business token
-- of each WABA, who wrote an outbound message and why it failed, and the full shape of templates.
ALTER TABLE phone_numbers DROP COLUMN status;
ALTER TABLE phone_numbers
  ADD COLUMN status text NOT NULL DEFAULT 'connected'
    CHECK (status IN ('pending_registration', 'connected', 'needs_reauthorisation', 'disconnected')),
  ADD COLUMN status_reason text,
  ADD COLUMN throughput_per_second integer NOT NULL DEFAULT 80 CHECK (throughput_per_second BETWEEN 1 AND 1000),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Access tokens are stored sealed (AES-256-GCM, see api/src/vault); the key id says which key sealed it.
ALTER TABLE whatsapp_accounts
  ADD COLUMN access_token_sealed text,
  ADD COLUMN access_token_key_id text,
  ADD COLUMN business_id text;

ALTER TABLE contacts ADD COLUMN restricted boolean NOT NULL DEFAULT false;

ALTER TABLE messages
  ADD COLUMN author_id      uuid,
  ADD COLUMN failure_reason text;

ALTER TABLE message_templates
  ADD COLUMN parameter_format text,
  ADD COLUMN components       jsonb NOT NULL DEFAULT '[]';
CREATE INDEX message_templates_name_language ON message_templates (tenant_id, waba_id, name, language);

-- Media we hold for a message: inbound media downloaded from Meta, and files agents upload to send.
CREATE TABLE media (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  message_id    uuid,
  meta_media_id text,
  mime_type     text,
  filename      text,
  sha256        text,
  byte_size     bigint,
  blob_key      text,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX media_inbound ON media (tenant_id, message_id) WHERE message_id IS NOT NULL;
SELECT enable_tenant_rls('media');

-- Agents' presence across api processes: a person is offline once no process holds a socket for them.
-- Rows of a process that died are ignored once its heartbeat is older than a minute and a half.
CREATE TABLE presence_sockets (
  tenant_id    uuid NOT NULL,
  user_id      uuid NOT NULL,
  instance_id  uuid NOT NULL,
  sockets      integer NOT NULL CHECK (sockets >= 0),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, instance_id)
);
SELECT enable_tenant_rls('presence_sockets');

CREATE FUNCTION presence_heartbeat(p_instance_id uuid) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public
  AS $$ UPDATE presence_sockets SET heartbeat_at = now() WHERE instance_id = p_instance_id $$;
