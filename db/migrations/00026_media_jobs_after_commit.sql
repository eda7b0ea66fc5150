-- Download jobs for inbound media are added just after the ingest transaction commits (api/src/media/
-- download-queue.ts) instead of inside it. A process that stops in between leaves media pending with no
-- job; this finds them, across tenants, for the api's periodic sweep to queue.
--
-- graphile-worker's public `jobs` view does not show payloads, so the job table is read directly; the
-- version is pinned (api/package.json), and PL/pgSQL keeps this migration independent of whether the
-- job schema is installed yet (it is installed after our migrations on a fresh database).
CREATE INDEX media_pending ON media (created_at) WHERE status = 'pending' AND message_id IS NOT NULL;

CREATE FUNCTION media_without_download_job(older_than interval, max_rows integer)
  RETURNS TABLE (tenant_id uuid, media_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
  AS $$
BEGIN
  RETURN QUERY
    SELECT m.tenant_id, m.id FROM media m
     WHERE m.status = 'pending' AND m.message_id IS NOT NULL AND m.created_at < now() - older_than
       AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs j
                         JOIN graphile_worker._private_tasks t ON t.id = j.task_id
                        WHERE t.identifier = 'download_media' AND j.payload->>'mediaId' = m.id::text)
     ORDER BY m.created_at
     LIMIT max_rows;
END
$$;
