// The live queue: what is waiting now, read from the conversations and people as they are (not from the
// rollups, which count what happened). Waiting means open, unassigned and in a queue.
import type { TransactionSql } from '@switchboard/db/connect';

export interface DepartmentQueue {
  departmentId: string | null;
  waiting: number;
  /** The longest waiter's start; the wait itself grows by the second without any change. */
  oldestWaitingSince: Date | null;
  open: number;
  onlineAgents: number;
}

export interface LiveQueue {
  waiting: number;
  oldestWaitingSince: Date | null;
  open: number;
  onlineAgents: number;
  departments: DepartmentQueue[];
  /** When it was read: longestWaitSeconds counts to here. */
  at: Date;
}

export async function readLiveQueue(tx: TransactionSql): Promise<LiveQueue> {
  const [conversations, [everyone], members, all] = await Promise.all([
    tx<{ departmentId: string | null; waiting: number; oldestWaitingSince: Date | null; open: number }[]>`
      select c.department_id,
             (count(*) filter (where c.status = 'open' and c.assignee_id is null and c.waiting_since is not null))::int as waiting,
             min(c.waiting_since) filter (where c.status = 'open' and c.assignee_id is null) as oldest_waiting_since,
             count(*)::int as open
        from conversations c
       where c.tenant_id = app_tenant_id() and c.status <> 'resolved'
       group by c.department_id`,
    tx<{ online: number; now: Date }[]>`
      select count(*)::int as online, now() from users u
       where u.tenant_id = app_tenant_id() and u.presence = 'online' and u.deactivated_at is null`,
    tx<{ departmentId: string; online: number }[]>`
      select m.department_id, count(*)::int as online
        from department_members m join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
       where m.tenant_id = app_tenant_id() and u.presence = 'online' and u.deactivated_at is null
       group by m.department_id`,
    tx<{ id: string }[]>`select id from departments where tenant_id = app_tenant_id() order by name, id`,
  ]);
  const online = new Map(members.map((m) => [m.departmentId, m.online]));
  const departmentIds = new Set<string | null>([...all.map((d) => d.id), ...conversations.map((c) => c.departmentId)]);
  const departments = [...departmentIds].map((id) => {
    const c = conversations.find((x) => x.departmentId === id);
    return {
      departmentId: id,
      waiting: c?.waiting ?? 0,
      oldestWaitingSince: c?.oldestWaitingSince ?? null,
      open: c?.open ?? 0,
      onlineAgents: id ? (online.get(id) ?? 0) : 0,
    };
  });
  const oldest = conversations.map((c) => c.oldestWaitingSince).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return {
    waiting: conversations.reduce((n, c) => n + c.waiting, 0),
    oldestWaitingSince: oldest,
    open: conversations.reduce((n, c) => n + c.open, 0),
    onlineAgents: everyone!.online,
    departments,
    at: everyone!.now,
  };
}
