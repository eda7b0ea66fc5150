-- Departments (teams), their members, and conversations as units of work: who holds one, which queue it
-- waits in, and since when. Lifecycle: bot → open (queued or assigned) → pending → resolved.
CREATE TABLE departments (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  -- round_robin: the member assigned longest ago; balanced: the member with the fewest open conversations.
  strategy    text NOT NULL DEFAULT 'round_robin' CHECK (strategy IN ('round_robin', 'balanced')),
  auto_assign boolean NOT NULL DEFAULT true,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);
CREATE UNIQUE INDEX departments_one_default ON departments (tenant_id) WHERE is_default;
SELECT enable_tenant_rls('departments');

CREATE TABLE department_members (
  tenant_id     uuid NOT NULL,
  department_id uuid NOT NULL,
  user_id       uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, department_id, user_id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX department_members_user ON department_members (tenant_id, user_id);
SELECT enable_tenant_rls('department_members');

ALTER TABLE phone_numbers ADD COLUMN default_department_id uuid;

ALTER TABLE conversations DROP CONSTRAINT conversations_status_check;
ALTER TABLE conversations ADD CONSTRAINT conversations_status_check
  CHECK (status IN ('bot', 'open', 'pending', 'resolved'));
ALTER TABLE conversations
  ADD COLUMN department_id uuid,
  ADD COLUMN assignee_id   uuid,
  ADD COLUMN assigned_at   timestamptz,
  -- When the conversation joined its queue; the oldest waiter is served first.
  ADD COLUMN waiting_since timestamptz;
CREATE INDEX conversations_queue ON conversations (tenant_id, department_id, waiting_since, id)
  WHERE assignee_id IS NULL AND status = 'open';
CREATE INDEX conversations_assignee_load ON conversations (tenant_id, assignee_id)
  WHERE status IN ('open', 'pending');

-- How many conversations a person holds now; the count capacity is measured against.
CREATE FUNCTION assignee_load(p_user_id uuid) RETURNS integer
  LANGUAGE sql STABLE
  AS $$
    SELECT count(*)::integer FROM conversations c
     WHERE c.tenant_id = app_tenant_id() AND c.assignee_id = p_user_id AND c.status IN ('open', 'pending')
  $$;

-- Hands the department's waiting conversations, oldest first, to members who are online and under
-- capacity. Correct under concurrency across api processes: the department's queue is served by one
-- transaction at a time (advisory lock), and every assignment to a person — automatic or manual —
-- happens while holding that person's row lock, with the load counted after the lock is taken.
-- Callers run it in a transaction of its own (after the change that made work available commits), so
-- no other locks are held while it waits.
CREATE FUNCTION assign_waiting_conversations(p_department_id uuid, p_limit integer DEFAULT 50)
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

-- Agents see the conversations of their departments and those assigned to them; everyone else in the
-- tenant (managers, admins, partner keys, ingest) is not narrowed. Restrictive: it narrows the tenant
-- policy, never widens it.
CREATE FUNCTION app_user_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

CREATE FUNCTION app_is_agent() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.role', true), '') = 'agent' $$;

CREATE FUNCTION agent_may_see(p_department_id uuid, p_assignee_id uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT p_assignee_id = app_user_id()
        OR EXISTS (SELECT 1 FROM department_members m
                    WHERE m.tenant_id = app_tenant_id() AND m.user_id = app_user_id()
                      AND m.department_id = p_department_id)
  $$;

CREATE POLICY agent_scope ON conversations AS RESTRICTIVE
  USING (NOT app_is_agent() OR agent_may_see(department_id, assignee_id));
CREATE POLICY agent_scope ON messages AS RESTRICTIVE
  USING (NOT app_is_agent() OR EXISTS (SELECT 1 FROM conversations c
                                        WHERE c.tenant_id = messages.tenant_id AND c.id = messages.conversation_id));

-- For the periodic assignment sweep, which serves every tenant: which queues have someone waiting.
CREATE FUNCTION departments_with_waiters()
  RETURNS TABLE (tenant_id uuid, department_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT DISTINCT c.tenant_id, c.department_id FROM conversations c
      JOIN departments d ON d.tenant_id = c.tenant_id AND d.id = c.department_id AND d.auto_assign
     WHERE c.assignee_id IS NULL AND c.status = 'open'
  $$;
