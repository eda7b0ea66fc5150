// Handing out waiting conversations. Runs in a transaction of its own, after whatever made work
// available (a new conversation, a person coming online, a conversation resolved) has committed; a
// periodic sweep catches anything a crashed process left waiting.
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { notifyChanges } from '../pubsub/change-events.ts';
import { assignWaitingConversations, type Assignment } from './assignment-repository.ts';

export async function serveQueues(sql: Sql, tenantId: string, departmentIds: Iterable<string>): Promise<Assignment[]> {
  const departments = [...new Set(departmentIds)].sort();
  if (departments.length === 0) return [];
  return withTenant(sql, tenantId, async (tx) => {
    const assigned: Assignment[] = [];
    for (const department of departments) assigned.push(...(await assignWaitingConversations(tx, department)));
    if (assigned.length > 0) {
      await notifyChanges(tx, tenantId, {
        conversationIds: assigned.map((a) => a.conversationId),
        userIds: assigned.map((a) => a.assigneeId),
      });
    }
    return assigned;
  });
}

/** Every tenant's departments that have someone waiting (platform-wide, for the sweep). */
async function departmentsWithWaiters(sql: Sql): Promise<{ tenantId: string; departmentId: string }[]> {
  return sql<{ tenantId: string; departmentId: string }[]>`select * from departments_with_waiters()`;
}

export function startQueueSweep(sql: Sql, { everyMs = 30_000, log }: { everyMs?: number; log: (m: string, f?: Record<string, unknown>) => void }) {
  const sweep = async () => {
    try {
      const byTenant = new Map<string, string[]>();
      for (const row of await departmentsWithWaiters(sql)) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row.departmentId]);
      for (const [tenantId, departments] of byTenant) await serveQueues(sql, tenantId, departments);
    } catch (error) {
      log('assignment sweep failed', { error: (error as Error)?.name });
    }
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
