-- Rollup rows per single dimension (docs/analytics.md): a breakdown by agent, department or number, or a
-- filter on one of them, reads rows of that dimension alone instead of every department × agent × number
-- combination. On the benchmark's largest tenant (50 agents, 5 departments, 3 numbers: some 160
-- combinations) a year's breakdown by number merged the histograms of about 2,000 rows per key; it now
-- merges 12. The combinations stay, for filters and breakdowns across two dimensions.
--   scope 'department': department_id set (or null: outside every department), the others null;
--   scope 'agent': agent_id only; scope 'number': phone_number_id only.
ALTER TABLE analytics_rollups DROP CONSTRAINT analytics_rollups_scope_check;
ALTER TABLE analytics_rollups DROP CONSTRAINT analytics_rollups_check;
ALTER TABLE analytics_rollups ADD CONSTRAINT analytics_rollups_scope_check
  CHECK (scope IN ('all', 'each', 'department', 'agent', 'number'));
ALTER TABLE analytics_rollups ADD CONSTRAINT analytics_rollups_dimensions_check
  CHECK (scope = 'each'
         OR (department_id IS NULL OR scope = 'department')
            AND (agent_id IS NULL OR scope = 'agent')
            AND (phone_number_id IS NULL OR scope = 'number'));

CREATE OR REPLACE FUNCTION analytics_apply(p_delta jsonb) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  zone text := (SELECT t.time_zone FROM tenants t WHERE t.id = app_tenant_id());
BEGIN
  -- The contributions parsed once and summed per quarter, dimensions, metric and bucket before they are
  -- placed at every grain: a fold of many conversations places far fewer rows.
  WITH delta AS MATERIALIZED (
    SELECT quarter, department_id, agent_id, phone_number_id, metric,
           CASE WHEN metric IN ('first_response', 'reply', 'resolution') THEN analytics_bucket(value) END AS bucket,
           sum(CASE WHEN metric IN ('first_response', 'reply', 'resolution') THEN sign ELSE sign * value END) AS n,
           sum(sign * value) AS total
      FROM (SELECT to_timestamp((d->>0)::bigint) AS quarter, (d->>1)::uuid AS department_id, (d->>2)::uuid AS agent_id,
                   d->>3 AS phone_number_id, d->>4 AS metric, (d->>5)::double precision AS value, (d->>6)::integer AS sign
              FROM jsonb_array_elements(p_delta) AS d) AS parsed
     GROUP BY 1, 2, 3, 4, 5, 6
  ),
  -- Each contribution at every grain and in every scope; durations with their bucket.
  placed AS (
    SELECT g.grain, g.start, s.scope, s.department_id, s.agent_id, s.phone_number_id, d.metric, d.bucket, d.n, d.total
      FROM delta d
     CROSS JOIN LATERAL analytics_periods(d.quarter, zone) AS g
     CROSS JOIN LATERAL (VALUES ('all', NULL::uuid, NULL::uuid, NULL::text),
                                ('each', d.department_id, d.agent_id, d.phone_number_id),
                                ('department', d.department_id, NULL, NULL),
                                ('agent', NULL, d.agent_id, NULL),
                                ('number', NULL, NULL, d.phone_number_id)) AS s (scope, department_id, agent_id, phone_number_id)
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
ALTER FUNCTION analytics_apply(jsonb) SET work_mem = '64MB';

-- The single-dimension rows of what is already folded, from the combinations.
INSERT INTO analytics_rollups
  (tenant_id, grain, start, scope, department_id, agent_id, phone_number_id,
   conversations_opened, conversations_resolved, messages_inbound, messages_agent, messages_bot, messages_template,
   messages_business_app, messages_api, first_response_count, first_response_sum, first_response_hist,
   reply_count, reply_sum, reply_hist, resolution_count, resolution_sum, resolution_hist)
SELECT r.tenant_id, r.grain, r.start, s.scope, s.department_id, s.agent_id, s.phone_number_id,
       sum(r.conversations_opened), sum(r.conversations_resolved), sum(r.messages_inbound), sum(r.messages_agent),
       sum(r.messages_bot), sum(r.messages_template), sum(r.messages_business_app), sum(r.messages_api),
       sum(r.first_response_count), sum(r.first_response_sum), analytics_hist_sum(r.first_response_hist),
       sum(r.reply_count), sum(r.reply_sum), analytics_hist_sum(r.reply_hist),
       sum(r.resolution_count), sum(r.resolution_sum), analytics_hist_sum(r.resolution_hist)
  FROM analytics_rollups r
 CROSS JOIN LATERAL (VALUES ('department', r.department_id, NULL::uuid, NULL::text),
                            ('agent', NULL, r.agent_id, NULL),
                            ('number', NULL, NULL, r.phone_number_id)) AS s (scope, department_id, agent_id, phone_number_id)
 WHERE r.scope = 'each'
 GROUP BY r.tenant_id, r.grain, r.start, s.scope, s.department_id, s.agent_id, s.phone_number_id;

-- The planner's picture of the rollups after the rows above: without it, it reads the new scopes as empty.
ANALYZE analytics_rollups;
