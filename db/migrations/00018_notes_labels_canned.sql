-- What agents add around a conversation: private notes (never sent to the customer), labels, and
-- canned responses they can insert into a reply.
CREATE TABLE conversation_notes (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  author_id       uuid NOT NULL,
  body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
  FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX conversation_notes_by_conversation ON conversation_notes (tenant_id, conversation_id, created_at, id);
SELECT enable_tenant_rls('conversation_notes');

CREATE TABLE labels (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  color      text NOT NULL DEFAULT '#64748b' CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX labels_name ON labels (tenant_id, lower(name));
SELECT enable_tenant_rls('labels');

CREATE TABLE conversation_labels (
  tenant_id       uuid NOT NULL,
  conversation_id uuid NOT NULL,
  label_id        uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id, label_id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
  FOREIGN KEY (tenant_id, label_id) REFERENCES labels (tenant_id, id) ON DELETE CASCADE
);
SELECT enable_tenant_rls('conversation_labels');

CREATE TABLE canned_responses (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  shortcut      text NOT NULL CHECK (shortcut ~ '^[a-z0-9_-]{1,40}$'),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, shortcut)
);
SELECT enable_tenant_rls('canned_responses');
