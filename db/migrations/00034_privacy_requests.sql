-- Privacy requests (issue 12): a data subject's request for access, portability, rectification, erasure,
-- restriction, objection or consent withdrawal, as a record with its steps, its export and its deadline.
--
-- The subject is a customer (a contact) or a staff member (a user). `subject_label` is masked when the
-- request is made (e.g. "+1 650 ••• •• 23") and is all any list shows. What could identify the subject
-- beyond that (the requester's address, the admin's note, the corrected fields) is cleared when an
-- erasure completes, and the requester's address once the confirmation has gone out.
CREATE TABLE privacy_requests (
  tenant_id          uuid NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  kind               text NOT NULL CHECK (kind IN ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'consent_withdrawal')),
  state              text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'in_progress', 'completed', 'rejected')),
  -- dashboard: an admin's form; api: a partner key; whatsapp: the customer, by keyword, awaiting approval.
  source             text NOT NULL CHECK (source IN ('dashboard', 'api', 'whatsapp')),
  subject_kind       text NOT NULL CHECK (subject_kind IN ('contact', 'staff')),
  subject_id         uuid NOT NULL,
  subject_label      text NOT NULL,
  requester_email    text,
  note               text CHECK (length(note) <= 2000),
  rectification      jsonb,
  lift               boolean NOT NULL DEFAULT false,
  created_by_kind    text NOT NULL CHECK (created_by_kind IN ('user', 'api_key', 'customer', 'operator', 'system')),
  created_by_id      uuid,
  received_at        timestamptz NOT NULL DEFAULT now(),
  due_at             timestamptz NOT NULL,
  completed_at       timestamptz,
  outcome            text,
  -- The confirmation mail to requester_email: sent (or nothing to send) once the request is finished.
  notified_at        timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX privacy_requests_recent ON privacy_requests (tenant_id, received_at DESC, id DESC);
CREATE INDEX privacy_requests_open ON privacy_requests (tenant_id, due_at) WHERE state IN ('received', 'in_progress');
SELECT enable_tenant_rls('privacy_requests');

-- What happened to a request, in order: received, approved, started, each part erased or exported,
-- completed, rejected, notified. `detail` holds counts and ids, never personal data.
CREATE TABLE privacy_request_steps (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL,
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'customer', 'operator', 'system')),
  actor_id   uuid,
  action     text NOT NULL CHECK (action ~ '^[a-z][a-z_]*$'),
  detail     jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, request_id) REFERENCES privacy_requests (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX privacy_request_steps_by_request ON privacy_request_steps (tenant_id, request_id, at);
SELECT enable_tenant_rls('privacy_request_steps');

-- Exports of access and portability requests: a zip in the blob store, deleted when it expires.
CREATE TABLE privacy_exports (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  request_id  uuid NOT NULL,
  blob_key    text NOT NULL,
  byte_size   bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  deleted_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, request_id) REFERENCES privacy_requests (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX privacy_exports_by_request ON privacy_exports (tenant_id, request_id);
CREATE INDEX privacy_exports_expiring ON privacy_exports (expires_at) WHERE deleted_at IS NULL;
SELECT enable_tenant_rls('privacy_exports');

-- The erasure ledger: salted hashes of what an erasure removed (phone numbers, business-scoped ids,
-- wamids), so a late webhook, a dead-letter replay or a restored backup cannot bring it back. Each
-- tenant has its own random salt, so the same person's hashes differ between tenants. `erased_at`
-- bounds what an identity blocks: only what happened up to the erasure; a new message after it is new.
CREATE TABLE erasure_salts (
  tenant_id uuid PRIMARY KEY,
  salt      bytea NOT NULL CHECK (length(salt) = 32)
);
SELECT enable_tenant_rls('erasure_salts');

CREATE TABLE erasure_ledger (
  tenant_id  uuid NOT NULL,
  hash       bytea NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('wa_id', 'user_id', 'wamid')),
  erased_at  timestamptz NOT NULL,
  request_id uuid,
  PRIMARY KEY (tenant_id, hash)
);
SELECT enable_tenant_rls('erasure_ledger');

-- An erased contact keeps its row (aggregates count it) without any identifier.
ALTER TABLE contacts ADD COLUMN erased_at timestamptz;
ALTER TABLE contacts DROP CONSTRAINT contacts_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_identified CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL OR erased_at IS NOT NULL);

-- The salted hash the ledger stores: sha256(salt || identifier). Reads the tenant's salt under RLS.
CREATE FUNCTION erasure_hash(tenant uuid, value text) RETURNS bytea
  LANGUAGE sql STABLE
  AS $$ SELECT sha256(s.salt || convert_to(value, 'UTF8')) FROM erasure_salts s WHERE s.tenant_id = tenant $$;
