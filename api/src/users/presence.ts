// Presence: set explicitly (online / away / offline), and offline once a person's last dashboard
// socket closes on every api process. Coming online hands them waiting work at once.
import type { Sql } from '@switchboard/db/connect';
import { retryTransient } from '@switchboard/db/retry';
import { withTenant } from '@switchboard/db/tenant';
import { notifyChanges } from '../pubsub/change-events.ts';
import { departmentsOfUser } from '../routing/assignment-repository.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { setPresence, type Presence, type UserRecord } from './user-repository.ts';

type Person = { tenantId: string; userId: string };

export async function changePresence(sql: Sql, person: Person, presence: Presence): Promise<UserRecord | null> {
  const { user, departments } = await withTenant(sql, person.tenantId, async (tx) => {
    const user = await setPresence(tx, person.userId, presence);
    if (user) await notifyChanges(tx, person.tenantId, { userIds: [person.userId] });
    return { user, departments: user && presence === 'online' ? await departmentsOfUser(tx, person.userId) : [] };
  });
  if (departments.length > 0) await serveQueues(sql, person.tenantId, departments);
  return user;
}

/**
 * Counts a person's sockets per api process so the last one closing anywhere means offline. The
 * process's count stays valid while start()'s heartbeat runs; a process that died stops counting.
 */
export function createSocketPresence(sql: Sql, instanceId: string, { heartbeatMs = 30_000 } = {}) {
  let heartbeat: NodeJS.Timeout | undefined;

  return {
    start() {
      heartbeat = setInterval(() => {
        sql`select presence_heartbeat(${instanceId})`.catch(() => {});
      }, heartbeatMs);
      heartbeat.unref();
    },
    async connected(person: Person): Promise<void> {
      await withTenant(sql, person.tenantId, (tx) => tx`
        insert into presence_sockets (tenant_id, user_id, instance_id, sockets)
        values (app_tenant_id(), ${person.userId}, ${instanceId}, 1)
        on conflict (tenant_id, user_id, instance_id)
        do update set sockets = presence_sockets.sockets + 1, heartbeat_at = now()`);
    },
    /** Tried again after a transient failure (a deadlock with another writer of the row, a lost connection). */
    async disconnected(person: Person): Promise<void> {
      await retryTransient(() => withTenant(sql, person.tenantId, async (tx) => {
        await tx`
          update presence_sockets set sockets = greatest(sockets - 1, 0), heartbeat_at = now()
           where tenant_id = app_tenant_id() and user_id = ${person.userId} and instance_id = ${instanceId}`;
        const [open] = await tx<{ n: number }[]>`
          select coalesce(sum(sockets), 0)::int as n from presence_sockets
           where tenant_id = app_tenant_id() and user_id = ${person.userId}
             and heartbeat_at > now() - interval '90 seconds'`;
        if (open!.n > 0) return;
        const user = await setPresence(tx, person.userId, 'offline');
        if (user) await notifyChanges(tx, person.tenantId, { userIds: [person.userId] });
      }));
    },
    stop: () => clearInterval(heartbeat),
  };
}
