-- lock_keys in one SQL statement instead of a PL/pgSQL loop: ingest takes a few hundred keys per batch,
-- and the loop's per-key PERFORM was most of the cost. The keys are still hashed, deduplicated and
-- locked in ascending order, so two transactions can never wait on each other in a cycle.
CREATE OR REPLACE FUNCTION lock_keys(keys text[]) RETURNS void
  LANGUAGE sql
  AS $$
    SELECT count(pg_advisory_xact_lock(h))
      FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(keys) AS k ORDER BY 1) AS ordered
  $$;
