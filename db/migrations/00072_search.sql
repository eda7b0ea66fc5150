-- Search (issue 14): full-text search over messages and substring/trigram search over contacts.
-- Both extensions are "trusted" (Postgres 13+): a database owner with CREATE may install them without
-- being a superuser. The embedded Postgres ships both.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Words as written, lower case and without accents: "Mañana", "MANANA" and "mañana" are one word. For
-- every language, including Arabic and Hebrew, which have no stemmer here.
CREATE TEXT SEARCH CONFIGURATION switchboard_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION switchboard_simple
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- What the text search parser reads: the inverted marks of Spanish (¿ ¡) would otherwise stick to the
-- next word under a C locale, and the two control characters ts_headline marks hits with cannot come
-- from the text. One character for one, so offsets into it are offsets into the text.
CREATE FUNCTION search_text(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT translate(t, E'\u00bf\u00a1\u0002\u0003', '    ') $$;

-- A message's searchable words: the words as written (above), Spanish stems (cancelar, cancelación,
-- canceló → cancel) and English stems (cancelled, cancelling → cancel). The three sets share one vector;
-- a query matches when all its words match in one of them (message_search_query).
CREATE FUNCTION message_search_vector(t text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, public
  AS $$
    SELECT to_tsvector('public.switchboard_simple'::regconfig, s)
        || to_tsvector('pg_catalog.spanish'::regconfig, s)
        || to_tsvector('pg_catalog.english'::regconfig, s)
      FROM (SELECT coalesce(search_text(t), '') AS s) x
  $$;

-- What someone typed (web search syntax: "a phrase", -without, or), read the three ways.
CREATE FUNCTION message_search_query(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, public
  AS $$
    SELECT websearch_to_tsquery('public.switchboard_simple'::regconfig, s)
        || websearch_to_tsquery('pg_catalog.spanish'::regconfig, s)
        || websearch_to_tsquery('pg_catalog.english'::regconfig, s)
      FROM (SELECT coalesce(search_text(q), '') AS s) x
  $$;

-- Kept by the database on every insert and update (ingest, sends, edits, merges), and gone with the
-- row (retention, erasure). STORED: Postgres 18's default is a virtual column, which cannot be indexed.
ALTER TABLE messages
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (message_search_vector(text)) STORED;
CREATE INDEX messages_search ON messages USING gin (search_vector);

-- Contacts by part of a name (case and accents ignored) or of a phone number.
CREATE FUNCTION contact_search_name(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, public
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- Typed text as a LIKE pattern that matches it literally.
CREATE FUNCTION like_escape(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_') $$;

CREATE INDEX contacts_search_name ON contacts USING gin (contact_search_name(display_name) gin_trgm_ops);
CREATE INDEX contacts_search_wa_id ON contacts USING gin (wa_id gin_trgm_ops);

-- A contact's conversations, newest first (the profile; a contact's latest activity; agents' rule below).
CREATE INDEX conversations_contact ON conversations (tenant_id, contact_id, last_message_at DESC, id DESC);

-- Agents see a customer only through a conversation they may see (conversations' own agent_scope
-- applies inside this check). Restrictive: it narrows the tenant policy, never widens it.
CREATE POLICY agent_scope ON contacts AS RESTRICTIVE
  USING (NOT app_is_agent() OR EXISTS (SELECT 1 FROM conversations c
                                        WHERE c.tenant_id = contacts.tenant_id AND c.contact_id = contacts.id));

-- Row-level security would keep the two indexes above from ever being used: their operators (@@, LIKE,
-- <%) are not LEAKPROOF, so Postgres evaluates them only after the policies, row by row, over every row
-- of the tenant. Searching therefore goes through these two functions, which run as the migration owner
-- and write the policies out themselves: the tenant's rows only, and for agents only messages of
-- conversations they may see (conversations' and messages' agent_scope). With an owner that is a
-- superuser or has BYPASSRLS the indexes serve them; with any other owner the policies apply again
-- (their owner exemption lets every row through) and the results are the same, only slower. Change
-- these with the policies they copy; test/search/search.spec.ts checks both rules.
CREATE FUNCTION search_messages(p_query text, p_after_at timestamptz, p_after_id uuid, p_limit integer)
  RETURNS TABLE (id uuid, conversation_id uuid, sent_at timestamptz, text text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  tenant uuid := app_tenant_id();
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  -- Planned for these values each time, so the query is read once and the index chosen for it.
  RETURN QUERY EXECUTE $q$
    SELECT m.id, m.conversation_id, m.sent_at, m.text
      FROM messages m
     WHERE m.tenant_id = $1
       AND m.search_vector @@ message_search_query($2)
       AND ($3::timestamptz IS NULL OR (m.sent_at, m.id) < ($3, $4))
       AND (NOT app_is_agent() OR EXISTS (SELECT 1 FROM conversations c
                                           WHERE c.tenant_id = m.tenant_id AND c.id = m.conversation_id
                                             AND agent_may_see(c.department_id, c.assignee_id)))
     ORDER BY m.sent_at DESC, m.id DESC
     LIMIT $5 $q$
    USING tenant, p_query, p_after_at, p_after_id, p_limit;
END
$$;

-- The tenant's customers whose name holds the text (case and accents ignored) or is within a typo of it
-- (3 or more letters), whose phone number holds the digits (3 or more), or whose BSUID is the text.
-- Ids only: the caller reads the rows under its own policies (agents: contacts' agent_scope).
CREATE FUNCTION search_contact_ids(p_text text, p_digits text)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  tenant uuid := app_tenant_id();
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE $q$
    SELECT ct.id FROM contacts ct
     WHERE ct.tenant_id = $1 AND contact_search_name(ct.display_name) LIKE '%' || like_escape(contact_search_name($2)) || '%'
    UNION
    SELECT ct.id FROM contacts ct
     WHERE ct.tenant_id = $1 AND length($2) >= 3 AND contact_search_name($2) <% contact_search_name(ct.display_name)
    UNION
    SELECT ct.id FROM contacts ct WHERE ct.tenant_id = $1 AND ct.user_id = $2
    UNION
    SELECT ct.id FROM contacts ct WHERE ct.tenant_id = $1 AND $3 IS NOT NULL AND ct.wa_id LIKE '%' || $3 || '%' $q$
    USING tenant, p_text, p_digits;
END
$$;
