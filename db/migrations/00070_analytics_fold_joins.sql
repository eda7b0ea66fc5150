-- Two joins of the fold that went quadratic with the size of a batch (found with auto_explain under the
-- benchmark's ingest, docs/benchmarks.md). The planner sees a batch's conversations as a handful — an
-- array parameter and a working table just emptied — and joined them by nested loops that re-read a whole
-- side per row: 1,500 conversations took 1,500 × 1,500 rows, three quarters of a second, twice a fold.
--   1. The definitions joined each conversation to its first message by scanning them all per
--      conversation: they now join by hashing (their other joins are between their own small sets; the
--      conversations themselves are still read through their key).
--   2. A grown conversation's four kept messages were found by reading every message of it and keeping
--      the four: each is now probed in the timeline index by its time and sequence (analytics_fold is
--      restated below for that one statement).
--   3. The fold's last update joined each metrics row to its figures by scanning them all: the figures'
--      working table now has a key, so that lookup is an index probe whatever the estimate.
ALTER FUNCTION analytics_contributions_rows(uuid[], boolean) SET enable_nestloop = off;

CREATE OR REPLACE FUNCTION analytics_working_tables() RETURNS void
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
  END IF;
  -- A connection that made the figures' table before this migration has it without its key.
  IF to_regclass('pg_temp.analytics_facts_pkey') IS NULL THEN
    DROP TABLE IF EXISTS pg_temp.analytics_facts;
    CREATE TEMP TABLE analytics_facts (
      conversation_id uuid PRIMARY KEY, first_response_seconds double precision, resolution_seconds double precision,
      reply_count integer, reply_seconds_sum double precision, contributions jsonb
    ) ON COMMIT DELETE ROWS;
  END IF;
END
$$;

-- Folds the given conversations of the transaction's tenant: computes their contributions and applies the
-- difference from what they contributed before. `p_changed`: those marked by a change to the conversation
-- itself (null: all of them); `p_messages`: the messages the others' marks name. Their metrics rows are
-- locked first (in id order), so two folders never apply the same change twice. Returns how many
-- conversations it folded.
CREATE OR REPLACE FUNCTION analytics_fold(p_ids uuid[], p_changed uuid[] DEFAULT NULL, p_messages uuid[] DEFAULT '{}') RETURNS integer
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
  -- Each looked up by its place in the timeline index (a lateral probe: joined the other way round, the
  -- planner read every message of each conversation and kept four).
  INSERT INTO analytics_rows
  SELECT DISTINCT m.conversation_id, m.sent_at, m.seq, m.direction, m.type, m.origin, m.author_id, false
    FROM conversation_metrics cm
    CROSS JOIN LATERAL (VALUES (cm.first_at, cm.first_seq), (cm.first_human_at, cm.first_human_seq),
                               (cm.last_human_at, cm.last_human_seq), (cm.waiting_at, cm.waiting_seq)) AS k (sent_at, seq)
    CROSS JOIN LATERAL (SELECT x.conversation_id, x.sent_at, x.seq, x.direction, x.type, x.origin, x.author_id
                          FROM messages x
                         WHERE x.tenant_id = cm.tenant_id AND x.conversation_id = cm.conversation_id
                           AND x.sent_at = k.sent_at AND x.seq = k.seq
                         OFFSET 0) AS m
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
