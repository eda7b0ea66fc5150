-- Folding a conversation that only grew (docs/analytics.md): the common case — a customer writes, an
-- agent replies — no longer reads the whole conversation again. Measured under the benchmark's ingest,
-- computing each folded conversation's contributions afresh was two thirds of the folder's work, and it
-- grows with the conversation: a thread of 500 messages was read 500 times over its life.
--
-- The definitions stay one implementation (analytics_contributions_rows, below, is the SQL of 00064
-- reading its messages from a working table instead of `messages`). What changes is which rows it is
-- given. When every new message of a conversation comes after every message it had, what they add
-- depends on what came before only through four messages, kept in conversation_metrics:
--   the first message (the opening, and whether the customer wrote first),
--   the first human reply that can be the first response (after the opening and any bot handoff),
--   the last human reply (where the open turn starts), and
--   the first customer message after it (since when the customer has been waiting).
-- So the new contributions are the definitions over those four and the new messages, minus the
-- definitions over the four alone, and the conversation's contributions become its old ones plus that.
-- A change to the conversation itself (assigned, moved, resolved, handed off), a message that arrives
-- before one already folded, or a conversation folded for the first time takes the whole path, as before.

-- Marks from new messages name them; a mark from a change to the conversation names none.
ALTER TABLE analytics_dirty ADD COLUMN message_ids uuid[];

CREATE OR REPLACE FUNCTION analytics_mark_from_rows() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('switchboard.analytics', true), '') = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'messages' THEN
    INSERT INTO analytics_dirty (tenant_id, conversation_id, message_ids)
    SELECT tenant_id, conversation_id, array_agg(id) FROM new_rows GROUP BY tenant_id, conversation_id;
  ELSE
    INSERT INTO analytics_dirty (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, id FROM new_rows;
  END IF;
  RETURN NULL;
END
$$;

-- The four messages, by (sent_at, seq), and the last message folded; `appendable` once a fold has set them.
ALTER TABLE conversation_metrics
  ADD COLUMN appendable boolean NOT NULL DEFAULT false,
  ADD COLUMN folded_at timestamptz, ADD COLUMN folded_seq bigint,
  ADD COLUMN first_at timestamptz, ADD COLUMN first_seq bigint,
  ADD COLUMN first_human_at timestamptz, ADD COLUMN first_human_seq bigint,
  ADD COLUMN last_human_at timestamptz, ADD COLUMN last_human_seq bigint,
  ADD COLUMN waiting_at timestamptz, ADD COLUMN waiting_seq bigint;

-- A human reply: an outbound message written by a person, in Switchboard or in the WhatsApp Business app.
CREATE FUNCTION analytics_is_human(direction text, author_id uuid, origin text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT direction = 'outbound' AND (author_id IS NOT NULL OR origin = 'business_app') $$;

-- The working tables of a connection, emptied at each commit.
CREATE FUNCTION analytics_working_tables() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF to_regclass('pg_temp.analytics_rows') IS NULL THEN
    -- The messages the definitions read; `tail` marks the new ones of a conversation that only grew.
    CREATE TEMP TABLE analytics_rows (
      conversation_id uuid, sent_at timestamptz, seq bigint, direction text, type text, origin text, author_id uuid, tail boolean
    ) ON COMMIT DELETE ROWS;
  END IF;
  IF to_regclass('pg_temp.analytics_fresh') IS NULL THEN
    CREATE TEMP TABLE analytics_fresh (
      conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE analytics_facts (
      conversation_id uuid, first_response_seconds double precision, resolution_seconds double precision,
      reply_count integer, reply_seconds_sum double precision, contributions jsonb
    ) ON COMMIT DELETE ROWS;
  END IF;
END
$$;

-- THE DEFINITIONS (docs/analytics.md), applied to the given conversations of the transaction's tenant with
-- the messages in analytics_rows (all of them, or without the tail). One row per contribution: the
-- 15-minute period it falls in, its dimensions, the metric and a value (a count for volumes, seconds for
-- durations).
--   opened       1 when the conversation opened: the earlier of its creation and its first message
--   resolved     1 when it was resolved
--   inbound      each customer message
--   agent / template / business_app / bot / api   each outbound message, by who sent it
--   first_response  the first human reply − the later of (opened, bot handoff); only when the customer
--                   wrote first
--   reply        each human reply − the customer's first unanswered message, when one is waiting
--   resolution   resolved − opened
-- Inbound messages and the conversation's own events count for its current department and assignee;
-- outbound ones for their author.
CREATE FUNCTION analytics_contributions_rows(p_ids uuid[], p_with_tail boolean)
  RETURNS TABLE (conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision)
  LANGUAGE plpgsql
  AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH rows AS (
      SELECT r.* FROM analytics_rows r WHERE r.conversation_id = ANY (p_ids) AND (p_with_tail OR NOT r.tail)
    ),
    firsts AS (SELECT r.conversation_id, min(r.sent_at) AS sent_at FROM rows r GROUP BY r.conversation_id),
    conv AS (
      SELECT c.id, c.department_id, c.assignee_id, c.phone_number_id, c.status, c.resolved_at, c.bot_handoff_at,
             least(c.created_at, f.sent_at) AS opened_at
        FROM conversations c LEFT JOIN firsts f ON f.conversation_id = c.id
       WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (p_ids)
    ),
    msg AS (
      SELECT r.conversation_id, r.sent_at, r.seq, r.direction, r.author_id,
             CASE WHEN r.direction = 'inbound' THEN 'inbound'
                  WHEN r.origin = 'business_app' THEN 'business_app'
                  WHEN r.origin = 'bot' THEN 'bot'
                  WHEN r.type = 'template' THEN 'template'
                  WHEN r.author_id IS NOT NULL THEN 'agent'
                  ELSE 'api' END AS kind,
             analytics_is_human(r.direction, r.author_id, r.origin) AS human
        FROM rows r
    ),
    ordered AS (
      SELECT msg.*,
             -- human replies before this message: the messages between two human replies form a turn
             coalesce(count(*) FILTER (WHERE human) OVER (PARTITION BY msg.conversation_id ORDER BY sent_at, seq
                                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS turn,
             first_value(direction) OVER (PARTITION BY msg.conversation_id ORDER BY sent_at, seq) AS first_direction
        FROM msg
    ),
    turns AS (
      SELECT o.conversation_id, o.turn,
             min(o.sent_at) FILTER (WHERE o.direction = 'inbound') AS waiting_from,
             min(o.sent_at) FILTER (WHERE o.human) AS replied_at,
             (array_agg(o.author_id ORDER BY o.sent_at, o.seq) FILTER (WHERE o.human))[1] AS replied_by
        FROM ordered o
       GROUP BY o.conversation_id, o.turn
    ),
    first_reply AS (
      SELECT DISTINCT ON (o.conversation_id) o.conversation_id, o.sent_at, o.author_id, o.first_direction,
             c.opened_at, c.bot_handoff_at, c.department_id, c.phone_number_id
        FROM ordered o JOIN conv c ON c.id = o.conversation_id
       WHERE o.human AND o.sent_at >= coalesce(greatest(c.opened_at, c.bot_handoff_at), c.opened_at)
       ORDER BY o.conversation_id, o.sent_at, o.seq
    ),
    samples AS (
      -- volumes: one row per event, counted per period below
      SELECT c.id AS conversation_id, c.opened_at AS at, c.department_id, c.assignee_id AS agent_id, c.phone_number_id, 'opened' AS metric, NULL::double precision AS seconds
        FROM conv c
      UNION ALL
      SELECT c.id, c.resolved_at, c.department_id, c.assignee_id, c.phone_number_id, 'resolved', NULL
        FROM conv c WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL
      UNION ALL
      SELECT o.conversation_id, o.sent_at, c.department_id,
             CASE WHEN o.direction = 'inbound' THEN c.assignee_id ELSE o.author_id END,
             c.phone_number_id, o.kind, NULL
        FROM ordered o JOIN conv c ON c.id = o.conversation_id
      UNION ALL
      -- durations: one row per sample
      SELECT f.conversation_id, f.sent_at, f.department_id, f.author_id, f.phone_number_id, 'first_response',
             greatest(extract(epoch FROM f.sent_at - greatest(f.opened_at, coalesce(f.bot_handoff_at, f.opened_at)))::double precision, 0)
        FROM first_reply f
       WHERE f.first_direction = 'inbound'
      UNION ALL
      SELECT t.conversation_id, t.replied_at, c.department_id, t.replied_by, c.phone_number_id, 'reply',
             greatest(extract(epoch FROM t.replied_at - t.waiting_from)::double precision, 0)
        FROM turns t JOIN conv c ON c.id = t.conversation_id
       WHERE t.waiting_from IS NOT NULL AND t.replied_at IS NOT NULL
      UNION ALL
      SELECT c.id, c.resolved_at, c.department_id, c.assignee_id, c.phone_number_id, 'resolution',
             greatest(extract(epoch FROM c.resolved_at - c.opened_at)::double precision, 0)
        FROM conv c WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL
    )
    -- volumes are counted per period; durations stay one row per sample
    SELECT s.conversation_id, (floor(extract(epoch FROM s.at) / 900) * 900)::bigint, s.department_id, s.agent_id,
           s.phone_number_id, s.metric, count(*)::double precision
      FROM samples s WHERE s.seconds IS NULL
     GROUP BY 1, 2, 3, 4, 5, 6
    UNION ALL
    SELECT s.conversation_id, (floor(extract(epoch FROM s.at) / 900) * 900)::bigint, s.department_id, s.agent_id,
           s.phone_number_id, s.metric, s.seconds
      FROM samples s WHERE s.seconds IS NOT NULL;
END
$$;

-- The definitions over the conversations' messages as they are (tests and the benchmark's raw figures).
CREATE OR REPLACE FUNCTION analytics_contributions(p_ids uuid[])
  RETURNS TABLE (conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision)
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM analytics_working_tables();
  DELETE FROM analytics_rows;
  INSERT INTO analytics_rows
  SELECT m.conversation_id, m.sent_at, m.seq, m.direction, m.type, m.origin, m.author_id, true
    FROM messages m
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids);
  RETURN QUERY SELECT * FROM analytics_contributions_rows(p_ids, true);
END
$$;

-- What the given conversations contributed at their last fold: their metrics' `contributions`, as rows.
CREATE FUNCTION analytics_stored_contributions(p_ids uuid[])
  RETURNS TABLE (conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision)
  LANGUAGE sql STABLE
  AS $$
    SELECT m.conversation_id, (e->>0)::bigint, (e->>1)::uuid, (e->>2)::uuid, e->>3, e->>4, (e->>5)::double precision
      FROM conversation_metrics m, jsonb_array_elements(m.contributions) AS e
     WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids)
  $$;

DROP FUNCTION analytics_fold(uuid[]);

-- Folds the given conversations of the transaction's tenant: computes their contributions and applies the
-- difference from what they contributed before. `p_changed`: those marked by a change to the conversation
-- itself (null: all of them); `p_messages`: the messages the others' marks name. Their metrics rows are
-- locked first (in id order), so two folders never apply the same change twice. Returns how many
-- conversations it folded.
CREATE FUNCTION analytics_fold(p_ids uuid[], p_changed uuid[] DEFAULT NULL, p_messages uuid[] DEFAULT '{}') RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  live    uuid[];
  created uuid[];
  ids     uuid[];
  grown   uuid[];
  broken  uuid[];
  delta   jsonb;
BEGIN
  -- The conversations still there; the metrics row a deleted one's earlier fold left behind goes.
  SELECT array_agg(c.id ORDER BY c.id) INTO live
    FROM conversations c
   WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (p_ids);
  IF coalesce(cardinality(live), 0) < cardinality(p_ids) THEN
    DELETE FROM conversation_metrics m
     WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids)
       AND NOT (m.conversation_id = ANY (coalesce(live, '{}')));
  END IF;
  IF live IS NULL THEN
    RETURN 0;
  END IF;
  WITH inserted AS (
    INSERT INTO conversation_metrics (tenant_id, conversation_id, opened_at)
    SELECT app_tenant_id(), c.id, c.created_at
      FROM conversations c
     WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (live)
     ORDER BY c.id
    ON CONFLICT DO NOTHING
    RETURNING conversation_id
  )
  SELECT array_agg(conversation_id) INTO created FROM inserted;
  SELECT array_agg(conversation_id ORDER BY conversation_id) INTO ids
    FROM (SELECT m.conversation_id FROM conversation_metrics m
           WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (live)
           ORDER BY m.conversation_id FOR UPDATE) AS locked;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;

  PERFORM analytics_working_tables();
  DELETE FROM analytics_rows;
  DELETE FROM analytics_fresh;

  -- The new messages of the conversations that may only have grown: folded before with the four kept, no
  -- change to the conversation itself, and every new message after the last one folded (a message folded
  -- already — read by a whole fold before its mark was taken — or one arriving late takes the whole path).
  IF p_changed IS NOT NULL AND cardinality(p_messages) > 0 THEN
    INSERT INTO analytics_rows
    SELECT m.conversation_id, m.sent_at, m.seq, m.direction, m.type, m.origin, m.author_id, true
      FROM messages m
      JOIN conversation_metrics cm ON cm.tenant_id = m.tenant_id AND cm.conversation_id = m.conversation_id
     WHERE m.tenant_id = app_tenant_id() AND m.id = ANY (p_messages)
       AND cm.appendable AND m.conversation_id = ANY (ids)
       AND NOT (m.conversation_id = ANY (p_changed)) AND NOT (m.conversation_id = ANY (coalesce(created, '{}')));
    SELECT array_agg(g.conversation_id) INTO grown
      FROM (SELECT DISTINCT ON (t.conversation_id) t.conversation_id, t.sent_at, t.seq
              FROM analytics_rows t ORDER BY t.conversation_id, t.sent_at, t.seq) AS g
      JOIN conversation_metrics cm ON cm.tenant_id = app_tenant_id() AND cm.conversation_id = g.conversation_id
     WHERE cm.folded_seq IS NULL OR (g.sent_at, g.seq) > (cm.folded_at, cm.folded_seq);
    DELETE FROM analytics_rows t WHERE NOT (t.conversation_id = ANY (coalesce(grown, '{}')));
  END IF;
  grown := coalesce(grown, '{}');

  -- The four messages before them.
  INSERT INTO analytics_rows
  SELECT DISTINCT m.conversation_id, m.sent_at, m.seq, m.direction, m.type, m.origin, m.author_id, false
    FROM conversation_metrics cm
    CROSS JOIN LATERAL (VALUES (cm.first_at, cm.first_seq), (cm.first_human_at, cm.first_human_seq),
                               (cm.last_human_at, cm.last_human_seq), (cm.waiting_at, cm.waiting_seq)) AS k (sent_at, seq)
    JOIN messages m ON m.tenant_id = cm.tenant_id AND m.conversation_id = cm.conversation_id AND m.sent_at = k.sent_at AND m.seq = k.seq
   WHERE cm.tenant_id = app_tenant_id() AND cm.conversation_id = ANY (grown) AND k.seq IS NOT NULL;
  -- A kept message gone (retention deletes a long conversation's oldest messages): that conversation
  -- takes the whole path.
  WITH found AS (SELECT r.conversation_id, count(*) AS n FROM analytics_rows r WHERE NOT r.tail GROUP BY r.conversation_id)
  SELECT array_agg(cm.conversation_id) INTO broken
    FROM conversation_metrics cm LEFT JOIN found f ON f.conversation_id = cm.conversation_id
   WHERE cm.tenant_id = app_tenant_id() AND cm.conversation_id = ANY (grown)
     AND coalesce(f.n, 0) <> (SELECT count(DISTINCT k.seq)
                                FROM (VALUES (cm.first_seq), (cm.first_human_seq), (cm.last_human_seq), (cm.waiting_seq)) AS k (seq)
                               WHERE k.seq IS NOT NULL);
  IF broken IS NOT NULL THEN
    DELETE FROM analytics_rows r WHERE r.conversation_id = ANY (broken);
    grown := array(SELECT unnest(grown) EXCEPT SELECT unnest(broken));
  END IF;
  -- Every message of the others.
  INSERT INTO analytics_rows
  SELECT m.conversation_id, m.sent_at, m.seq, m.direction, m.type, m.origin, m.author_id, true
    FROM messages m
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (ids) AND NOT (m.conversation_id = ANY (grown));
  ANALYZE analytics_rows;

  -- Their contributions as they are now: the others' afresh; the grown ones' old contributions, plus the
  -- definitions over the four and the new messages, minus the definitions over the four alone (volumes
  -- summed per period, durations one per sample).
  INSERT INTO analytics_fresh
  SELECT * FROM analytics_contributions_rows(array(SELECT unnest(ids) EXCEPT SELECT unnest(grown)), true);
  IF cardinality(grown) > 0 THEN
    WITH old AS (SELECT * FROM analytics_stored_contributions(grown)),
    after AS (SELECT * FROM analytics_contributions_rows(grown, true)),
    before AS (SELECT * FROM analytics_contributions_rows(grown, false)),
    signed AS (
      SELECT *, 1 AS sign FROM old UNION ALL SELECT *, 1 FROM after UNION ALL SELECT *, -1 FROM before
    )
    INSERT INTO analytics_fresh
    SELECT s.conversation_id, s.quarter, s.department_id, s.agent_id, s.phone_number_id, s.metric, sum(s.sign * s.value)
      FROM signed s WHERE s.metric NOT IN ('first_response', 'reply', 'resolution')
     GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(s.sign * s.value) <> 0
    UNION ALL
    (SELECT conversation_id, quarter, department_id, agent_id, phone_number_id, metric, value
       FROM (SELECT * FROM old UNION ALL SELECT * FROM after) AS kept WHERE metric IN ('first_response', 'reply', 'resolution')
     EXCEPT ALL
     SELECT conversation_id, quarter, department_id, agent_id, phone_number_id, metric, value
       FROM before WHERE metric IN ('first_response', 'reply', 'resolution'));
  END IF;
  -- A temporary table has no statistics until analysed: without them the joins below can go quadratic.
  ANALYZE analytics_fresh;

  WITH old AS (SELECT * FROM analytics_stored_contributions(ids)),
  added AS (SELECT * FROM analytics_fresh EXCEPT ALL SELECT * FROM old),
  removed AS (SELECT * FROM old EXCEPT ALL SELECT * FROM analytics_fresh),
  signed AS (SELECT *, 1 AS sign FROM added UNION ALL SELECT *, -1 FROM removed)
  SELECT jsonb_agg(jsonb_build_array(quarter, department_id, agent_id, phone_number_id, metric, value, sign))
    INTO delta FROM signed;
  IF delta IS NOT NULL THEN
    PERFORM analytics_apply(delta);
  END IF;

  -- Each conversation's figures, aggregated once.
  DELETE FROM analytics_facts;
  INSERT INTO analytics_facts
  SELECT f.conversation_id,
         min(f.value) FILTER (WHERE f.metric = 'first_response'),
         min(f.value) FILTER (WHERE f.metric = 'resolution'),
         (count(*) FILTER (WHERE f.metric = 'reply'))::integer,
         coalesce(sum(f.value) FILTER (WHERE f.metric = 'reply'), 0),
         jsonb_agg(jsonb_build_array(f.quarter, f.department_id, f.agent_id, f.phone_number_id, f.metric, f.value)
                   ORDER BY f.quarter, f.metric, f.value)
    FROM analytics_fresh f
   GROUP BY f.conversation_id;
  ANALYZE analytics_facts;

  -- The figures, the contributions and the four messages, from the rows read (for a grown conversation the
  -- four and its new messages, among which its four are now). Set-based, each a sort of the rows read.
  WITH firsts AS (
    SELECT DISTINCT ON (r.conversation_id) r.conversation_id, r.sent_at, r.seq
      FROM analytics_rows r ORDER BY r.conversation_id, r.sent_at, r.seq
  ),
  lasts AS (
    SELECT DISTINCT ON (r.conversation_id) r.conversation_id, r.sent_at, r.seq
      FROM analytics_rows r ORDER BY r.conversation_id, r.sent_at DESC, r.seq DESC
  ),
  opened AS (
    SELECT c.id AS conversation_id, least(c.created_at, f.sent_at) AS opened_at, c.bot_handoff_at
      FROM conversations c LEFT JOIN firsts f ON f.conversation_id = c.id
     WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (ids)
  ),
  first_humans AS (
    SELECT DISTINCT ON (r.conversation_id) r.conversation_id, r.sent_at, r.seq
      FROM analytics_rows r JOIN opened o ON o.conversation_id = r.conversation_id
     WHERE analytics_is_human(r.direction, r.author_id, r.origin)
       AND r.sent_at >= coalesce(greatest(o.opened_at, o.bot_handoff_at), o.opened_at)
     ORDER BY r.conversation_id, r.sent_at, r.seq
  ),
  last_humans AS (
    SELECT DISTINCT ON (r.conversation_id) r.conversation_id, r.sent_at, r.seq
      FROM analytics_rows r WHERE analytics_is_human(r.direction, r.author_id, r.origin)
     ORDER BY r.conversation_id, r.sent_at DESC, r.seq DESC
  ),
  waitings AS (
    SELECT DISTINCT ON (r.conversation_id) r.conversation_id, r.sent_at, r.seq
      FROM analytics_rows r LEFT JOIN last_humans lh ON lh.conversation_id = r.conversation_id
     WHERE r.direction = 'inbound' AND (lh.seq IS NULL OR (r.sent_at, r.seq) > (lh.sent_at, lh.seq))
     ORDER BY r.conversation_id, r.sent_at, r.seq
  ),
  s AS (
    SELECT o.conversation_id, o.opened_at, o.bot_handoff_at,
           f.sent_at AS first_at, f.seq AS first_seq, fh.sent_at AS first_human_at, fh.seq AS first_human_seq,
           lh.sent_at AS last_human_at, lh.seq AS last_human_seq, w.sent_at AS waiting_at, w.seq AS waiting_seq,
           l.sent_at AS folded_at, l.seq AS folded_seq
      FROM opened o
      LEFT JOIN firsts f ON f.conversation_id = o.conversation_id
      LEFT JOIN lasts l ON l.conversation_id = o.conversation_id
      LEFT JOIN first_humans fh ON fh.conversation_id = o.conversation_id
      LEFT JOIN last_humans lh ON lh.conversation_id = o.conversation_id
      LEFT JOIN waitings w ON w.conversation_id = o.conversation_id
  )
  UPDATE conversation_metrics m
     SET opened_at = s.opened_at,
         first_response_at = greatest(s.opened_at, coalesce(s.bot_handoff_at, s.opened_at)) + make_interval(secs => f.first_response_seconds),
         first_response_seconds = f.first_response_seconds,
         resolution_seconds = f.resolution_seconds,
         reply_count = coalesce(f.reply_count, 0),
         reply_seconds_sum = coalesce(f.reply_seconds_sum, 0),
         contributions = coalesce(f.contributions, '[]'),
         appendable = true,
         first_at = s.first_at, first_seq = s.first_seq,
         first_human_at = s.first_human_at, first_human_seq = s.first_human_seq,
         last_human_at = s.last_human_at, last_human_seq = s.last_human_seq,
         waiting_at = s.waiting_at, waiting_seq = s.waiting_seq,
         folded_at = s.folded_at, folded_seq = s.folded_seq
    FROM s LEFT JOIN analytics_facts f ON f.conversation_id = s.conversation_id
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = s.conversation_id;
  RETURN array_length(ids, 1);
END
$$;
