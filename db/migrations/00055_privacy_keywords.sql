-- Privacy requests by keyword in WhatsApp (issue 12; api/src/privacy/keywords.ts). A customer who writes
-- a privacy keyword ("delete my data", "borrar mis datos", "מחק את המידע שלי", "احذف بياناتي") is asked
-- to confirm with reply buttons; their "yes" opens a privacy request (source whatsapp) that waits for an
-- admin.
--
-- privacy_keyword_sets: a tenant's own phrases for one language and kind. A row replaces the built-in
-- phrases of that language and kind (an empty list turns the keyword off there); without a row the
-- built-in ones apply. The phrases are the business's words, never a customer's.
CREATE TABLE privacy_keyword_sets (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  language   text NOT NULL CHECK (language IN ('en', 'es', 'ar', 'he')),
  kind       text NOT NULL CHECK (kind IN ('access', 'erasure')),
  phrases    text[] NOT NULL CHECK (cardinality(phrases) <= 20),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid,
  PRIMARY KEY (tenant_id, language, kind)
);
SELECT enable_tenant_rls('privacy_keyword_sets');

-- privacy_keyword_prompts: one confirmation question sent to a customer. The buttons' ids name the
-- prompt (`privacy:<id>:yes|no`); an answer counts once, from the customer it was asked, before it
-- expires. Ids, the kind and the language only: nothing the customer wrote.
CREATE TABLE privacy_keyword_prompts (
  tenant_id          uuid NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id         uuid NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('access', 'erasure')),
  language           text NOT NULL CHECK (language IN ('en', 'es', 'ar', 'he')),
  -- The customer's message with the keyword: a redelivery of it asks no second time.
  trigger_message_id uuid NOT NULL,
  -- The question as it was sent (an outbound message).
  prompt_message_id  uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  answered_at        timestamptz,
  answer             text CHECK (answer IN ('yes', 'no', 'superseded')),
  request_id         uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, trigger_message_id),
  CHECK ((answered_at IS NULL) = (answer IS NULL)),
  -- No key to tenants (the contact pins it); a merged-away contact's prompts go with it.
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX privacy_keyword_prompts_open ON privacy_keyword_prompts (tenant_id, contact_id, kind) WHERE answered_at IS NULL;
SELECT enable_tenant_rls('privacy_keyword_prompts');
