// Who holds a conversation. Every assignment to a person happens while holding that person's row lock
// with their load counted after the lock is taken, so concurrent assigners (any number of api
// processes) can never push anyone over capacity or give one conversation to two people. Automatic
// assignment lives in SQL (assign_waiting_conversations, migration 00017) for the same reason.
import type { TransactionSql } from '@switchboard/db/connect';

export interface Assignment {
  conversationId: string;
  assigneeId: string;
}

/** Serves a department's queue, oldest waiter first, to members who are online and under capacity. */
export function assignWaitingConversations(tx: TransactionSql, departmentId: string, limit = 50): Promise<Assignment[]> {
  return tx<Assignment[]>`select * from assign_waiting_conversations(${departmentId}, ${limit})`;
}

/** Departments a person belongs to, to serve when they come online or free up. */
export async function departmentsOfUser(tx: TransactionSql, userId: string): Promise<string[]> {
  const rows = await tx<{ departmentId: string }[]>`
    select department_id from department_members where tenant_id = app_tenant_id() and user_id = ${userId}`;
  return rows.map((r) => r.departmentId);
}

export type ManualAssignOutcome =
  | { ok: true; previousAssigneeId: string | null; departmentId: string | null }
  | { ok: false; reason: 'conversation_not_found' | 'assignee_not_found' | 'assignee_inactive' | 'resolved' | 'over_capacity' };

/**
 * Manual assignment or transfer. Managers may exceed capacity deliberately (`force`); otherwise the
 * person's capacity holds here as it does for automatic assignment.
 */
export async function assignConversation(
  tx: TransactionSql,
  { conversationId, assigneeId, force }: { conversationId: string; assigneeId: string; force: boolean },
): Promise<ManualAssignOutcome> {
  // Lock order: conversation, then person — the same order the automatic path uses.
  const [conversation] = await tx<{ status: string; assigneeId: string | null; departmentId: string | null }[]>`
    select status, assignee_id, department_id from conversations
     where tenant_id = app_tenant_id() and id = ${conversationId} for update`;
  if (!conversation) return { ok: false, reason: 'conversation_not_found' };
  if (conversation.status === 'resolved') return { ok: false, reason: 'resolved' };
  const [person] = await tx<{ capacity: number; deactivatedAt: Date | null }[]>`
    select capacity, deactivated_at from users where tenant_id = app_tenant_id() and id = ${assigneeId} for update`;
  if (!person) return { ok: false, reason: 'assignee_not_found' };
  if (person.deactivatedAt) return { ok: false, reason: 'assignee_inactive' };
  if (conversation.assigneeId !== assigneeId && !force) {
    const [load] = await tx<{ n: number }[]>`select assignee_load(${assigneeId}) as n`;
    if (load!.n >= person.capacity) return { ok: false, reason: 'over_capacity' };
  }
  await tx`
    update conversations
       set assignee_id = ${assigneeId}, assigned_at = now(), waiting_since = null,
           status = case when status = 'bot' then 'open' else status end, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${conversationId}`;
  await tx`update users set last_assigned_at = clock_timestamp() where tenant_id = app_tenant_id() and id = ${assigneeId}`;
  return { ok: true, previousAssigneeId: conversation.assigneeId, departmentId: conversation.departmentId };
}

/** Puts a conversation back in its department's queue (at the back: it waits from now). */
export async function unassignConversation(tx: TransactionSql, conversationId: string): Promise<{ departmentId: string | null } | null> {
  const [row] = await tx<{ departmentId: string | null }[]>`
    update conversations
       set assignee_id = null, assigned_at = null,
           waiting_since = case when status = 'open' then now() else null end, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${conversationId} and status <> 'resolved'
    returning department_id`;
  return row ?? null;
}

/** Moves a conversation to another department's queue, unassigned. */
export async function moveToDepartment(tx: TransactionSql, conversationId: string, departmentId: string): Promise<boolean> {
  const rows = await tx`
    update conversations
       set department_id = ${departmentId}, assignee_id = null, assigned_at = null,
           waiting_since = case when status in ('open', 'bot') then now() else null end,
           status = case when status = 'bot' then 'open' else status end, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${conversationId} and status <> 'resolved'
       and exists (select 1 from departments d where d.tenant_id = app_tenant_id() and d.id = ${departmentId})
    returning id`;
  return rows.length > 0;
}

/** A deactivated person's open work goes back to the front of its queues (it has waited already). */
export function requeueAssigneeConversations(tx: TransactionSql, userId: string): Promise<{ id: string; departmentId: string | null }[]> {
  return tx<{ id: string; departmentId: string | null }[]>`
    update conversations
       set assignee_id = null, assigned_at = null,
           waiting_since = case when status = 'open' then coalesce(last_inbound_at, created_at) else null end,
           updated_at = now()
     where tenant_id = app_tenant_id() and assignee_id = ${userId} and status in ('open', 'pending', 'bot')
    returning id, department_id`;
}

export type StatusChange = { ok: true; departmentId: string | null; assigneeId: string | null } | { ok: false };

/**
 * Lifecycle moves an agent makes: open ⇄ pending, → resolved. Resolving frees the assignee's capacity;
 * a resolved conversation stays closed (the next inbound message opens a new one).
 */
export async function setConversationStatus(tx: TransactionSql, conversationId: string, status: 'open' | 'pending' | 'resolved'): Promise<StatusChange> {
  const [row] = await tx<{ departmentId: string | null; assigneeId: string | null }[]>`
    update conversations
       set status = ${status},
           resolved_at = case when ${status} = 'resolved' then now() else null end,
           waiting_since = case when ${status} = 'open' and assignee_id is null then coalesce(waiting_since, now()) else null end,
           updated_at = now()
     where tenant_id = app_tenant_id() and id = ${conversationId} and status <> 'resolved'
    returning department_id, assignee_id`;
  return row ? { ok: true, ...row } : { ok: false };
}
