-- The fold's fixed costs, measured under the benchmark's ingest (pg_stat_statements): a third of each fold
-- went to work that does not grow with the conversations folded. The orphan check probed metrics by an
-- array the planner could not use as an index key (now a join on the unnested ids), and the two working
-- tables were created and dropped with every fold (now once per connection, emptied at commit).

-- Folds the given conversations of the transaction's tenant: computes their contributions afresh and
-- applies the difference from what they contributed before. Their metrics rows are locked first (in id
-- order), so two folders never apply the same change twice. Returns how many conversations it folded.
CREATE OR REPLACE FUNCTION analytics_fold(p_ids uuid[]) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  ids   uuid[];
  delta jsonb;
BEGIN
  -- A conversation deleted while an earlier fold was inserting its row leaves that row behind: gone here.
  DELETE FROM conversation_metrics m
   USING unnest(p_ids) AS gone (id)
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = gone.id
     AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = m.tenant_id AND c.id = m.conversation_id);
  INSERT INTO conversation_metrics (tenant_id, conversation_id, opened_at)
  SELECT app_tenant_id(), c.id, c.created_at
    FROM conversations c
   WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (p_ids)
   ORDER BY c.id
  ON CONFLICT DO NOTHING;
  SELECT array_agg(conversation_id ORDER BY conversation_id) INTO ids
    FROM (SELECT m.conversation_id FROM conversation_metrics m
           WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids)
           ORDER BY m.conversation_id FOR UPDATE) AS locked;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;

  -- Working tables, created once per connection and emptied at each commit (not created and dropped
  -- with every fold: that rewrote the catalogs each time).
  IF to_regclass('pg_temp.analytics_fresh') IS NULL THEN
    CREATE TEMP TABLE analytics_fresh (
      conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE analytics_facts (
      conversation_id uuid, first_response_seconds double precision, resolution_seconds double precision,
      reply_count integer, reply_seconds_sum double precision, contributions jsonb
    ) ON COMMIT DELETE ROWS;
  END IF;
  DELETE FROM analytics_fresh;
  INSERT INTO analytics_fresh SELECT * FROM analytics_contributions(ids);
  -- A temporary table has no statistics until analysed: without them the joins below can go quadratic.
  ANALYZE analytics_fresh;

  WITH old AS (
    SELECT m.conversation_id, (e->>0)::bigint AS quarter, (e->>1)::uuid AS department_id, (e->>2)::uuid AS agent_id,
           e->>3 AS phone_number_id, e->>4 AS metric, (e->>5)::double precision AS value
      FROM conversation_metrics m, jsonb_array_elements(m.contributions) AS e
     WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (ids)
  ),
  added AS (SELECT * FROM analytics_fresh EXCEPT ALL SELECT * FROM old),
  removed AS (SELECT * FROM old EXCEPT ALL SELECT * FROM analytics_fresh),
  signed AS (SELECT *, 1 AS sign FROM added UNION ALL SELECT *, -1 FROM removed)
  SELECT jsonb_agg(jsonb_build_array(quarter, department_id, agent_id, phone_number_id, metric, value, sign))
    INTO delta FROM signed;
  IF delta IS NOT NULL THEN
    PERFORM analytics_apply(delta);
  END IF;

  -- Each conversation's figures, aggregated once (a temporary table, analysed, so the update below
  -- joins it by index instead of aggregating again per row).
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

  UPDATE conversation_metrics m
     SET opened_at = o.opened_at,
         first_response_at = greatest(o.opened_at, coalesce(c.bot_handoff_at, o.opened_at)) + make_interval(secs => f.first_response_seconds),
         first_response_seconds = f.first_response_seconds,
         resolution_seconds = f.resolution_seconds,
         reply_count = f.reply_count,
         reply_seconds_sum = f.reply_seconds_sum,
         contributions = f.contributions
    FROM analytics_facts f
    JOIN conversations c ON c.tenant_id = app_tenant_id() AND c.id = f.conversation_id
   CROSS JOIN LATERAL (SELECT least(c.created_at, (SELECT min(x.sent_at) FROM messages x
                                                    WHERE x.tenant_id = c.tenant_id AND x.conversation_id = c.id)) AS opened_at) AS o
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = f.conversation_id;
  RETURN array_length(ids, 1);
END
$$;

-- The marks are a queue: rows come and go all the time, so vacuum it often.
ALTER TABLE analytics_dirty SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
