-- Analytics rollups (docs/analytics.md). Every figure a report shows is a sum over these rows; no report
-- reads messages. They hold no personal data: no contact, no text, only times, counts, durations and the
-- ids of the tenant's own departments, people and numbers.
--
-- How they stay exact: each conversation's contributions (what it adds to the rollups) are computed
-- from its rows by one function, analytics_contributions, and kept beside it in conversation_metrics.
-- When a conversation changes (a message arrives, it is assigned, moved or resolved), a trigger marks it
-- dirty; the folder (api/src/analytics/folder.ts) calls analytics_fold, which computes the contributions
-- afresh and applies only the difference to the rollups. So however late or out of order Meta delivers,
-- the rollups equal the definitions applied to the rows as they are now.

-- The zone a tenant's days and months are counted in (day and month rollups, the dashboard's default).
ALTER TABLE tenants ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

-- A message the tenant's bot sent (automation, a later issue) is counted apart from people's.
ALTER TABLE messages DROP CONSTRAINT messages_origin_check;
ALTER TABLE messages ADD CONSTRAINT messages_origin_check CHECK (origin IN ('business_app', 'bot'));
-- When a bot handed the conversation to people: first response time counts from here when it is later
-- than the opening.
ALTER TABLE conversations ADD COLUMN bot_handoff_at timestamptz;

-- A duration's histogram bucket: bucket i holds (1.04^(i-1), 1.04^i] seconds, so the bucket's
-- representative value 2·1.04^i / 2.04 is within (1.04 − 1) / (1.04 + 1) < 1.97 % of every value in it.
-- Zero (and less) has a bucket of its own, whose value is exactly 0.
CREATE FUNCTION analytics_bucket(seconds double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN seconds <= 0 THEN -32768 ELSE greatest(ceil(ln(seconds) / ln(1.04)), -400)::integer END $$;

-- Histograms are jsonb objects {bucket: count}; merging adds counts and drops buckets that reach zero.
CREATE FUNCTION analytics_hist_merge(a jsonb, b jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
      FROM (SELECT k, sum(v::bigint) AS n
              FROM (SELECT * FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
                    UNION ALL
                    SELECT * FROM jsonb_each_text(coalesce(b, '{}'::jsonb))) AS e (k, v)
             GROUP BY k
            HAVING sum(v::bigint) <> 0) AS s
  $$;

CREATE AGGREGATE analytics_hist_sum(jsonb) (SFUNC = analytics_hist_merge, STYPE = jsonb, INITCOND = '{}');

-- One row per tenant, grain, period start, scope and dimensions.
--   grain: 'quarter' (15 minutes, aligned in UTC, which every time zone's hours and days are made of),
--          'day' and 'month' (in the tenant's time zone, rebuilt from quarters when it changes).
--   scope: 'all' (the tenant as a whole; dimensions null) or 'each' (one row per department, agent and
--          number combination, any of which may be null: unassigned, no department).
CREATE TABLE analytics_rollups (
  tenant_id              uuid NOT NULL,
  grain                  text NOT NULL CHECK (grain IN ('quarter', 'day', 'month')),
  start                  timestamptz NOT NULL,
  scope                  text NOT NULL CHECK (scope IN ('all', 'each')),
  department_id          uuid,
  agent_id               uuid,
  phone_number_id        text,
  conversations_opened   integer NOT NULL DEFAULT 0,
  conversations_resolved integer NOT NULL DEFAULT 0,
  messages_inbound       integer NOT NULL DEFAULT 0,
  messages_agent         integer NOT NULL DEFAULT 0,
  messages_bot           integer NOT NULL DEFAULT 0,
  messages_template      integer NOT NULL DEFAULT 0,
  messages_business_app  integer NOT NULL DEFAULT 0,
  messages_api           integer NOT NULL DEFAULT 0,
  first_response_count   integer NOT NULL DEFAULT 0,
  first_response_sum     double precision NOT NULL DEFAULT 0,
  first_response_hist    jsonb NOT NULL DEFAULT '{}',
  reply_count            integer NOT NULL DEFAULT 0,
  reply_sum              double precision NOT NULL DEFAULT 0,
  reply_hist             jsonb NOT NULL DEFAULT '{}',
  resolution_count       integer NOT NULL DEFAULT 0,
  resolution_sum         double precision NOT NULL DEFAULT 0,
  resolution_hist        jsonb NOT NULL DEFAULT '{}',
  CHECK (scope = 'each' OR (department_id IS NULL AND agent_id IS NULL AND phone_number_id IS NULL)),
  UNIQUE NULLS NOT DISTINCT (tenant_id, grain, scope, start, department_id, agent_id, phone_number_id)
);
SELECT enable_tenant_rls('analytics_rollups');

-- What each conversation contributes, and the per-conversation figures the drill-down and the CSV read.
-- Deleted with its conversation (retention, erasure); the rollups keep the sums.
CREATE TABLE conversation_metrics (
  tenant_id              uuid NOT NULL,
  conversation_id        uuid NOT NULL,
  opened_at              timestamptz NOT NULL,
  first_response_at      timestamptz,
  first_response_seconds double precision,
  resolution_seconds     double precision,
  reply_count            integer NOT NULL DEFAULT 0,
  reply_seconds_sum      double precision NOT NULL DEFAULT 0,
  -- [[quarter epoch, department, agent, number, metric, value]…]: counts per quarter for volumes, one
  -- entry per sample for durations.
  contributions          jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, conversation_id)
);
-- No foreign key to conversations on purpose: inserting a row that references one takes a KEY SHARE lock
-- on the conversation, and automatic assignment skips conversations locked that way (FOR UPDATE SKIP
-- LOCKED in assign_waiting_conversations) — a new conversation being folded would be passed over. The
-- trigger below deletes a conversation's metrics with it instead, as a cascade would.
CREATE FUNCTION analytics_forget_conversations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM conversation_metrics m USING old_rows o WHERE m.tenant_id = o.tenant_id AND m.conversation_id = o.id;
  DELETE FROM analytics_dirty d USING old_rows o WHERE d.tenant_id = o.tenant_id AND d.conversation_id = o.id;
  RETURN NULL;
END
$$;
CREATE INDEX conversation_metrics_opened ON conversation_metrics (tenant_id, opened_at);
CREATE INDEX conversation_metrics_first_response ON conversation_metrics (tenant_id, first_response_seconds);
SELECT enable_tenant_rls('conversation_metrics');
-- Agents see a conversation's figures exactly when they see the conversation.
CREATE POLICY agent_scope ON conversation_metrics AS RESTRICTIVE
  USING (NOT app_is_agent() OR EXISTS (SELECT 1 FROM conversations c
                                        WHERE c.tenant_id = conversation_metrics.tenant_id
                                          AND c.id = conversation_metrics.conversation_id));
CREATE INDEX conversations_resolved_at ON conversations (tenant_id, resolved_at) WHERE resolved_at IS NOT NULL;

-- Conversations to fold again. Filled by triggers, emptied by the folder.
CREATE TABLE analytics_dirty (
  tenant_id       uuid NOT NULL,
  conversation_id uuid NOT NULL,
  marked_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
);
SELECT enable_tenant_rls('analytics_dirty');
CREATE TRIGGER conversations_analytics_forget AFTER DELETE ON conversations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_forget_conversations();

-- `SET switchboard.analytics = 'off'` (benchmarks: ingest with and without rollups) stops the marking.
CREATE FUNCTION analytics_mark_from_rows() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('switchboard.analytics', true), '') = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'messages' THEN
    INSERT INTO analytics_dirty (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, conversation_id FROM new_rows
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO analytics_dirty (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, id FROM new_rows
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_analytics AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_from_rows();
CREATE TRIGGER conversations_analytics_insert AFTER INSERT ON conversations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_from_rows();

CREATE FUNCTION analytics_mark_conversation() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('switchboard.analytics', true), '') = 'off' THEN
    RETURN NULL;
  END IF;
  INSERT INTO analytics_dirty (tenant_id, conversation_id) VALUES (NEW.tenant_id, NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
-- Only what the figures depend on: the ingest upsert that moves last_message_at changes none of these.
CREATE TRIGGER conversations_analytics_update
  AFTER UPDATE OF status, resolved_at, assignee_id, department_id, bot_handoff_at, created_at ON conversations
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.department_id IS DISTINCT FROM NEW.department_id
        OR OLD.bot_handoff_at IS DISTINCT FROM NEW.bot_handoff_at OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION analytics_mark_conversation();

-- Tenants with conversations to fold (the folder visits them): ids only.
CREATE FUNCTION analytics_dirty_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT tenant_id FROM analytics_dirty $$;

-- THE DEFINITIONS (docs/analytics.md), applied to the rows of the given conversations of the transaction's
-- tenant. One row per contribution: the 15-minute period it falls in, its dimensions, the metric and a
-- value (a count for volumes, seconds for durations).
--   opened       1 when the conversation opened: the earlier of its creation and its first message
--   resolved     1 when it was resolved
--   inbound      each customer message
--   agent / template / business_app / bot / api   each outbound message, by who sent it
--   first_response  the first human reply − the later of (opened, bot handoff); only when the customer
--                   wrote first
--   reply        each human reply − the customer's first unanswered message, when one is waiting
--   resolution   resolved − opened
-- A human reply is an outbound message written by a person: an agent in Switchboard (author_id) or the
-- business in the WhatsApp Business app (an echo). Inbound messages and the conversation's own events
-- count for its current department and assignee; outbound ones for their author.
CREATE FUNCTION analytics_contributions(p_ids uuid[])
  RETURNS TABLE (conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision)
  LANGUAGE sql STABLE
  AS $$
    WITH conv AS (
      SELECT c.id, c.department_id, c.assignee_id, c.phone_number_id, c.status, c.resolved_at, c.bot_handoff_at,
             least(c.created_at, (SELECT min(m.sent_at) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)) AS opened_at
        FROM conversations c
       WHERE c.tenant_id = app_tenant_id() AND c.id = ANY (p_ids)
    ),
    msg AS (
      SELECT m.conversation_id, m.sent_at, m.seq, m.direction, m.author_id,
             CASE WHEN m.direction = 'inbound' THEN 'inbound'
                  WHEN m.origin = 'business_app' THEN 'business_app'
                  WHEN m.origin = 'bot' THEN 'bot'
                  WHEN m.type = 'template' THEN 'template'
                  WHEN m.author_id IS NOT NULL THEN 'agent'
                  ELSE 'api' END AS kind,
             (m.direction = 'outbound' AND (m.author_id IS NOT NULL OR m.origin = 'business_app')) AS human
        FROM messages m
       WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids)
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
      SELECT DISTINCT ON (o.conversation_id) o.conversation_id, o.sent_at, o.author_id, o.first_direction
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
      SELECT f.conversation_id, f.sent_at, c.department_id, f.author_id, c.phone_number_id, 'first_response',
             greatest(extract(epoch FROM f.sent_at - greatest(c.opened_at, coalesce(c.bot_handoff_at, c.opened_at)))::double precision, 0)
        FROM first_reply f JOIN conv c ON c.id = f.conversation_id
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
      FROM samples s WHERE s.seconds IS NOT NULL
  $$;

-- Applies a set of signed contributions (+1 added, −1 taken back) to the rollups of the transaction's
-- tenant, at every grain and in both scopes.
CREATE FUNCTION analytics_apply(p_delta jsonb) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  zone text := (SELECT t.time_zone FROM tenants t WHERE t.id = app_tenant_id());
BEGIN
  WITH delta AS (
    SELECT to_timestamp((d->>0)::bigint) AS quarter, (d->>1)::uuid AS department_id, (d->>2)::uuid AS agent_id,
           d->>3 AS phone_number_id, d->>4 AS metric, (d->>5)::double precision AS value, (d->>6)::integer AS sign
      FROM jsonb_array_elements(p_delta) AS d
  ),
  -- Each contribution at every grain, in both scopes; durations with their bucket.
  placed AS (
    SELECT g.grain, g.start, s.scope, s.department_id, s.agent_id, s.phone_number_id, d.metric,
           CASE WHEN d.metric IN ('first_response', 'reply', 'resolution') THEN analytics_bucket(d.value) END AS bucket,
           CASE WHEN d.metric IN ('first_response', 'reply', 'resolution') THEN d.sign ELSE d.sign * d.value END AS n,
           d.sign * d.value AS total
      FROM delta d
     CROSS JOIN LATERAL (VALUES ('quarter', d.quarter),
                                ('day', date_trunc('day', d.quarter, zone)),
                                ('month', date_trunc('month', d.quarter, zone))) AS g (grain, start)
     CROSS JOIN LATERAL (VALUES ('all', NULL::uuid, NULL::uuid, NULL::text),
                                ('each', d.department_id, d.agent_id, d.phone_number_id)) AS s (scope, department_id, agent_id, phone_number_id)
  ),
  -- Per row, metric and bucket: how many, and their sum.
  cells AS (
    SELECT grain, start, scope, department_id, agent_id, phone_number_id, metric, bucket, sum(n) AS n, sum(total) AS total
      FROM placed
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ),
  -- Per row: the volumes, and each duration's count, sum and histogram.
  rows AS (
    SELECT grain, start, scope, department_id, agent_id, phone_number_id,
           coalesce(sum(n) FILTER (WHERE metric = 'opened'), 0)::integer AS opened,
           coalesce(sum(n) FILTER (WHERE metric = 'resolved'), 0)::integer AS resolved,
           coalesce(sum(n) FILTER (WHERE metric = 'inbound'), 0)::integer AS inbound,
           coalesce(sum(n) FILTER (WHERE metric = 'agent'), 0)::integer AS agent,
           coalesce(sum(n) FILTER (WHERE metric = 'bot'), 0)::integer AS bot,
           coalesce(sum(n) FILTER (WHERE metric = 'template'), 0)::integer AS template,
           coalesce(sum(n) FILTER (WHERE metric = 'business_app'), 0)::integer AS business_app,
           coalesce(sum(n) FILTER (WHERE metric = 'api'), 0)::integer AS api,
           coalesce(sum(n) FILTER (WHERE metric = 'first_response'), 0)::integer AS frt_n,
           coalesce(sum(total) FILTER (WHERE metric = 'first_response'), 0) AS frt_sum,
           coalesce(jsonb_object_agg(bucket, n) FILTER (WHERE metric = 'first_response' AND n <> 0), '{}') AS frt_h,
           coalesce(sum(n) FILTER (WHERE metric = 'reply'), 0)::integer AS reply_n,
           coalesce(sum(total) FILTER (WHERE metric = 'reply'), 0) AS reply_sum,
           coalesce(jsonb_object_agg(bucket, n) FILTER (WHERE metric = 'reply' AND n <> 0), '{}') AS reply_h,
           coalesce(sum(n) FILTER (WHERE metric = 'resolution'), 0)::integer AS res_n,
           coalesce(sum(total) FILTER (WHERE metric = 'resolution'), 0) AS res_sum,
           coalesce(jsonb_object_agg(bucket, n) FILTER (WHERE metric = 'resolution' AND n <> 0), '{}') AS res_h
      FROM cells
     GROUP BY 1, 2, 3, 4, 5, 6
  )
  INSERT INTO analytics_rollups AS r
    (tenant_id, grain, start, scope, department_id, agent_id, phone_number_id,
     conversations_opened, conversations_resolved, messages_inbound, messages_agent, messages_bot, messages_template,
     messages_business_app, messages_api, first_response_count, first_response_sum, first_response_hist,
     reply_count, reply_sum, reply_hist, resolution_count, resolution_sum, resolution_hist)
  SELECT app_tenant_id(), grain, start, scope, department_id, agent_id, phone_number_id,
         opened, resolved, inbound, agent, bot, template, business_app, api,
         frt_n, frt_sum, frt_h, reply_n, reply_sum, reply_h, res_n, res_sum, res_h
    FROM rows
   -- One order for every folder, so concurrent folds lock shared rows in the same order.
   ORDER BY grain, scope, start, department_id, agent_id, phone_number_id
  ON CONFLICT (tenant_id, grain, scope, start, department_id, agent_id, phone_number_id) DO UPDATE
     SET conversations_opened = r.conversations_opened + excluded.conversations_opened,
         conversations_resolved = r.conversations_resolved + excluded.conversations_resolved,
         messages_inbound = r.messages_inbound + excluded.messages_inbound,
         messages_agent = r.messages_agent + excluded.messages_agent,
         messages_bot = r.messages_bot + excluded.messages_bot,
         messages_template = r.messages_template + excluded.messages_template,
         messages_business_app = r.messages_business_app + excluded.messages_business_app,
         messages_api = r.messages_api + excluded.messages_api,
         first_response_count = r.first_response_count + excluded.first_response_count,
         first_response_sum = r.first_response_sum + excluded.first_response_sum,
         first_response_hist = CASE WHEN excluded.first_response_hist = '{}' THEN r.first_response_hist
                                    ELSE analytics_hist_merge(r.first_response_hist, excluded.first_response_hist) END,
         reply_count = r.reply_count + excluded.reply_count,
         reply_sum = r.reply_sum + excluded.reply_sum,
         reply_hist = CASE WHEN excluded.reply_hist = '{}' THEN r.reply_hist
                           ELSE analytics_hist_merge(r.reply_hist, excluded.reply_hist) END,
         resolution_count = r.resolution_count + excluded.resolution_count,
         resolution_sum = r.resolution_sum + excluded.resolution_sum,
         resolution_hist = CASE WHEN excluded.resolution_hist = '{}' THEN r.resolution_hist
                                ELSE analytics_hist_merge(r.resolution_hist, excluded.resolution_hist) END;
END
$$;

-- Folds the given conversations of the transaction's tenant: computes their contributions afresh and
-- applies the difference from what they contributed before. Their metrics rows are locked first (in id
-- order), so two folders never apply the same change twice. Returns how many conversations it folded.
CREATE FUNCTION analytics_fold(p_ids uuid[]) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  ids   uuid[];
  delta jsonb;
BEGIN
  -- A conversation deleted while an earlier fold was inserting its row leaves that row behind: gone here.
  DELETE FROM conversation_metrics m
   WHERE m.tenant_id = app_tenant_id() AND m.conversation_id = ANY (p_ids)
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

  CREATE TEMP TABLE IF NOT EXISTS analytics_fresh (
    conversation_id uuid, quarter bigint, department_id uuid, agent_id uuid, phone_number_id text, metric text, value double precision
  ) ON COMMIT DROP;
  TRUNCATE analytics_fresh;
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
  CREATE TEMP TABLE IF NOT EXISTS analytics_facts (
    conversation_id uuid, first_response_seconds double precision, resolution_seconds double precision,
    reply_count integer, reply_seconds_sum double precision, contributions jsonb
  ) ON COMMIT DROP;
  TRUNCATE analytics_facts;
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

-- Rebuilds a tenant's day and month rollups from its quarters, in its time zone now: run by the trigger
-- below whenever the zone changes. Quarters nest in every zone's days, so this is exact.
CREATE FUNCTION analytics_rebuild_days(p_tenant uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  zone text := (SELECT t.time_zone FROM tenants t WHERE t.id = p_tenant);
BEGIN
  DELETE FROM analytics_rollups WHERE tenant_id = p_tenant AND grain IN ('day', 'month');
  INSERT INTO analytics_rollups
    (tenant_id, grain, start, scope, department_id, agent_id, phone_number_id,
     conversations_opened, conversations_resolved, messages_inbound, messages_agent, messages_bot, messages_template,
     messages_business_app, messages_api, first_response_count, first_response_sum, first_response_hist,
     reply_count, reply_sum, reply_hist, resolution_count, resolution_sum, resolution_hist)
  SELECT p_tenant, g.grain, g.start, q.scope, q.department_id, q.agent_id, q.phone_number_id,
         sum(q.conversations_opened), sum(q.conversations_resolved), sum(q.messages_inbound), sum(q.messages_agent),
         sum(q.messages_bot), sum(q.messages_template), sum(q.messages_business_app), sum(q.messages_api),
         sum(q.first_response_count), sum(q.first_response_sum), analytics_hist_sum(q.first_response_hist),
         sum(q.reply_count), sum(q.reply_sum), analytics_hist_sum(q.reply_hist),
         sum(q.resolution_count), sum(q.resolution_sum), analytics_hist_sum(q.resolution_hist)
    FROM analytics_rollups q
   CROSS JOIN LATERAL (VALUES ('day', date_trunc('day', q.start, zone)), ('month', date_trunc('month', q.start, zone))) AS g (grain, start)
   WHERE q.tenant_id = p_tenant AND q.grain = 'quarter'
   GROUP BY g.grain, g.start, q.scope, q.department_id, q.agent_id, q.phone_number_id;
END
$$;

CREATE FUNCTION analytics_zone_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM analytics_rebuild_days(NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER tenants_analytics_zone AFTER UPDATE OF time_zone ON tenants
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION analytics_zone_changed();
