-- The processes that send to Meta. Each business number's throughput is shared between them: with N
-- live senders each paces a number at 1/N of its rate, so together they never exceed it. A sender
-- heartbeats every few seconds; one silent for longer than the stale interval no longer counts.
CREATE TABLE sender_instances (
  instance_id  uuid PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
-- Not tenant data, and only reachable through the functions below.
REVOKE ALL ON sender_instances FROM switchboard_app;

-- Records this sender as alive, forgets stale ones, and answers how many senders share the numbers.
CREATE FUNCTION sender_heartbeat(p_instance_id uuid, p_stale_after interval) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  live integer;
BEGIN
  -- One beat at a time: a sender that joins sees every sender that joined before it.
  PERFORM pg_advisory_xact_lock(727002);
  INSERT INTO sender_instances (instance_id) VALUES (p_instance_id)
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now();
  DELETE FROM sender_instances WHERE heartbeat_at < now() - p_stale_after;
  SELECT count(*) INTO live FROM sender_instances;
  RETURN live;
END
$$;

CREATE FUNCTION sender_leave(p_instance_id uuid) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public
  AS $$ DELETE FROM sender_instances WHERE instance_id = p_instance_id $$;
