// "Every time someone opens a conversation outside their departments": a manager or admin sees every
// conversation of the tenant, an agent only those of their departments and their own (the agent_scope
// RLS policy, db/migrations/00017). When a manager or admin opens (reads by id) a conversation that
// policy would hide from an agent in their place, the audit log gets `conversation.opened_outside_departments`.
//
// Once per person and conversation per window (ten minutes), so a page that reads a conversation again
// and again leaves one entry: this process remembers what it recorded, and the insert itself skips a
// pair another api instance recorded inside the window. The insert runs beside the read, not after it,
// and a failure is logged, never the reader's problem.
import { isIP } from 'node:net';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withScope } from '@switchboard/db/tenant';
import type { Viewer } from '../context.ts';

export const OPENED_OUTSIDE_DEPARTMENTS = 'conversation.opened_outside_departments';

export interface OutsideReadAuditor {
  /** The caller opened these conversations (ids they may see); answers when the entries are written. */
  opened(viewer: Viewer | null, conversationIds: readonly string[], address: string | null): Promise<void>;
}

export function createOutsideReadAuditor({
  sql,
  log,
  windowSeconds = 600,
  remember = 10_000,
  now = Date.now,
}: {
  sql: Sql;
  log: (level: 'warn', message: string, fields?: Record<string, unknown>) => void;
  windowSeconds?: number;
  /** Pairs kept in memory at most; the oldest go first. */
  remember?: number;
  now?: () => number;
}): OutsideReadAuditor {
  // tenant:user:conversation → when it was last checked. Insertion order is age order (re-set on renewal).
  const checked = new Map<string, number>();
  const windowMs = windowSeconds * 1000;

  function due(key: string): boolean {
    const at = checked.get(key);
    const t = now();
    if (at !== undefined && t - at < windowMs) return false;
    checked.delete(key);
    checked.set(key, t);
    while (checked.size > remember) checked.delete(checked.keys().next().value!);
    return true;
  }

  return {
    async opened(viewer, conversationIds, address) {
      // Agents never see a conversation outside their departments; keys have no departments.
      if (viewer?.kind !== 'user' || viewer.role === 'agent') return;
      const ids = conversationIds.filter((id) => due(`${viewer.tenantId}:${viewer.userId}:${id}`));
      if (ids.length === 0) return;
      const scope = { tenantId: viewer.tenantId, userId: viewer.userId, role: viewer.role };
      const from = address && isIP(address) ? address : null;
      await withScope(sql, scope, (tx) => recordOutsideReads(tx, { userId: viewer.userId, conversationIds: ids, address: from, windowSeconds })).catch(
        (error: unknown) => {
          for (const id of ids) checked.delete(`${viewer.tenantId}:${viewer.userId}:${id}`);
          log('warn', 'audit of a conversation opened outside departments not recorded', { error: (error as Error)?.name });
        },
      );
    },
  };
}

/**
 * One entry per conversation the person may not see as an agent (neither theirs nor in one of their
 * departments), unless they have one for it inside the window already.
 */
export async function recordOutsideReads(
  tx: TransactionSql,
  { userId, conversationIds, address, windowSeconds }: { userId: string; conversationIds: string[]; address: string | null; windowSeconds: number },
): Promise<number> {
  const rows = await tx`
    insert into audit_events (tenant_id, action, actor_kind, actor_id, target_kind, target_id, address)
    select c.tenant_id, ${OPENED_OUTSIDE_DEPARTMENTS}, 'user', ${userId}::uuid, 'conversation', c.id::text, ${address}::inet
      from conversations c
     where c.tenant_id = app_tenant_id() and c.id = any(${conversationIds}::uuid[])
       and agent_may_see(c.department_id, c.assignee_id) is not true
       and not exists (
             select 1 from audit_events e
              where e.tenant_id = c.tenant_id and e.actor_id = ${userId}::uuid and e.action = ${OPENED_OUTSIDE_DEPARTMENTS}
                and e.target_id = c.id::text and e.at > now() - make_interval(secs => ${windowSeconds}))
    returning id`;
  return rows.length;
}
