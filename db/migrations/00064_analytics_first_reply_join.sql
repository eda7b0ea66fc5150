-- The definitions again, unchanged in meaning: the first reply carries its conversation's columns, so the
-- first-response sample no longer joins the conversations back in. Without statistics on the CTEs the
-- planner ran that join as a nested loop — quadratic in the conversations folded at once, a fifth of a
-- 1,000-conversation fold (measured on the benchmark's data).

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
CREATE OR REPLACE FUNCTION analytics_contributions(p_ids uuid[])
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
      FROM samples s WHERE s.seconds IS NOT NULL
  $$;
