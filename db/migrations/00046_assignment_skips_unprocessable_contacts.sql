-- Restriction and withdrawn consent mean a customer's data is kept but not processed automatically
-- (api/src/contacts/consent.ts, mayProcess): their waiting conversations are never handed out by the
-- assigner; they wait in the queue for a person to pick up. The sweep does not count them as waiters.
CREATE FUNCTION contact_may_be_processed(p_contact_id uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT NOT EXISTS (SELECT 1 FROM contacts ct
                        WHERE ct.tenant_id = app_tenant_id() AND ct.id = p_contact_id
                          AND (ct.restricted OR ct.consent_withdrawn_at IS NOT NULL))
  $$;

CREATE OR REPLACE FUNCTION assign_waiting_conversations(p_department_id uuid, p_limit integer DEFAULT 50)
  RETURNS TABLE (conversation_id uuid, assignee_id uuid)
  LANGUAGE plpgsql
  AS $$
DECLARE
  dept        departments;
  waiting     record;
  candidate   record;
  chosen      uuid;
BEGIN
  SELECT * INTO dept FROM departments d WHERE d.tenant_id = app_tenant_id() AND d.id = p_department_id;
  IF NOT FOUND OR NOT dept.auto_assign THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('assign:' || p_department_id::text, 0));

  FOR waiting IN
    SELECT c.id FROM conversations c
     WHERE c.tenant_id = app_tenant_id() AND c.department_id = p_department_id
       AND c.assignee_id IS NULL AND c.status = 'open'
       AND contact_may_be_processed(c.contact_id)
     ORDER BY c.waiting_since, c.id
     LIMIT p_limit
     -- Conversations are locked before people, the order every assigner uses; one being assigned by
     -- hand right now is skipped, not waited for.
     FOR UPDATE OF c SKIP LOCKED
  LOOP
    chosen := NULL;
    FOR candidate IN
      SELECT u.id
        FROM department_members m
        JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
       WHERE m.tenant_id = app_tenant_id() AND m.department_id = p_department_id
         AND u.deactivated_at IS NULL AND u.presence = 'online' AND u.capacity > 0
       ORDER BY CASE WHEN dept.strategy = 'balanced' THEN assignee_load(u.id) ELSE 0 END,
                u.last_assigned_at NULLS FIRST, u.id
    LOOP
      PERFORM 1 FROM users u WHERE u.tenant_id = app_tenant_id() AND u.id = candidate.id
         AND u.deactivated_at IS NULL AND u.presence = 'online'
         FOR UPDATE;
      IF FOUND AND assignee_load(candidate.id) < (SELECT u.capacity FROM users u
                                                   WHERE u.tenant_id = app_tenant_id() AND u.id = candidate.id) THEN
        chosen := candidate.id;
        EXIT;
      END IF;
    END LOOP;
    EXIT WHEN chosen IS NULL;  -- nobody can take more; the rest keep waiting in order

    UPDATE conversations c
       SET assignee_id = chosen, assigned_at = now(), waiting_since = NULL, updated_at = now()
     WHERE c.tenant_id = app_tenant_id() AND c.id = waiting.id
       AND c.assignee_id IS NULL AND c.status = 'open';
    IF FOUND THEN
      UPDATE users u SET last_assigned_at = clock_timestamp()
       WHERE u.tenant_id = app_tenant_id() AND u.id = chosen;
      conversation_id := waiting.id;
      assignee_id := chosen;
      RETURN NEXT;
    END IF;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION departments_with_waiters()
  RETURNS TABLE (tenant_id uuid, department_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT DISTINCT c.tenant_id, c.department_id FROM conversations c
      JOIN departments d ON d.tenant_id = c.tenant_id AND d.id = c.department_id AND d.auto_assign
      JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
     WHERE c.assignee_id IS NULL AND c.status = 'open'
       AND NOT ct.restricted AND ct.consent_withdrawn_at IS NULL
  $$;
