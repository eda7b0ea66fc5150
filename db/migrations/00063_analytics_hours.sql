-- Hour rollups (docs/analytics.md): the heatmap and hourly series read whole hours of the tenant's zone
-- instead of four quarter hours each — a year is 8,760 rows instead of 35,040, the difference between a
-- heatmap over twelve months answering in tens of milliseconds or in a hundred. Like days and months,
-- hours are counted in the tenant's zone (so they nest in its days even where the zone is half an hour
-- off UTC) and rebuilt from the quarters when the zone changes; quarters stay for ranges and zones
-- that do not fall on those hours.
ALTER TABLE analytics_rollups DROP CONSTRAINT analytics_rollups_grain_check;
ALTER TABLE analytics_rollups ADD CONSTRAINT analytics_rollups_grain_check CHECK (grain IN ('quarter', 'hour', 'day', 'month'));

-- The periods a quarter hour belongs to, one per grain: itself, and the hour, day and month of `zone`
-- around it. The one list of grains: applying contributions and rebuilding from quarters both use it.
CREATE FUNCTION analytics_periods(quarter timestamptz, zone text) RETURNS TABLE (grain text, start timestamptz)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT * FROM (VALUES ('quarter', quarter),
                          ('hour', date_trunc('hour', quarter, zone)),
                          ('day', date_trunc('day', quarter, zone)),
                          ('month', date_trunc('month', quarter, zone))) AS p (grain, start)
  $$;

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
  -- Each contribution at every grain, in both scopes; durations with their bucket.
  placed AS (
    SELECT g.grain, g.start, s.scope, s.department_id, s.agent_id, s.phone_number_id, d.metric, d.bucket, d.n, d.total
      FROM delta d
     CROSS JOIN LATERAL analytics_periods(d.quarter, zone) AS g
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
-- A fold of a thousand conversations sorts some hundred thousand placed rows: in memory, not on disk.
ALTER FUNCTION analytics_apply(jsonb) SET work_mem = '64MB';

-- Rebuilds a tenant's hour, day and month rollups from its quarters, in its time zone now.
CREATE OR REPLACE FUNCTION analytics_rebuild_days(p_tenant uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  zone text := (SELECT t.time_zone FROM tenants t WHERE t.id = p_tenant);
BEGIN
  DELETE FROM analytics_rollups WHERE tenant_id = p_tenant AND grain <> 'quarter';
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
   CROSS JOIN LATERAL analytics_periods(q.start, zone) AS g
   WHERE q.tenant_id = p_tenant AND q.grain = 'quarter' AND g.grain <> 'quarter'
   GROUP BY g.grain, g.start, q.scope, q.department_id, q.agent_id, q.phone_number_id;
END
$$;

-- Every tenant's hours, from the quarters it has.
SELECT analytics_rebuild_days(id) FROM tenants;
