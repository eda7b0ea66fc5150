// Keeps the analytics rollups up to date: conversations marked dirty by the triggers of migration 00060
// (a message stored, a conversation assigned, moved or resolved) are folded in batches, each in one
// short transaction that takes its marks and applies the difference to the rollups — if it fails, the
// marks come back with the rollback and the next pass folds them. Any number of api processes may run
// it: marks are taken with SKIP LOCKED and analytics_fold locks each conversation's metrics row.
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';

/** Conversations per fold transaction. */
const BATCH = 1_000;

/** One fold transaction: the oldest marks of a tenant nobody else holds; returns the conversations folded. */
async function foldBatch(sql: Sql, tenantId: string, batch: number): Promise<number> {
  return withTenant(sql, tenantId, async (tx) => {
    // The oldest marks nobody else holds, then every mark of their conversations (a conversation may
    // have many: marks are appended, migration 00062); `batch` bounds the conversations, not the marks.
    const taken = await tx<{ conversationId: string }[]>`
      with picked as (
        select distinct conversation_id
          from (select conversation_id from analytics_dirty
                 where tenant_id = app_tenant_id()
                 order by marked_at limit ${batch * 4} for update skip locked) as oldest
         limit ${batch}
      )
      delete from analytics_dirty d
       using picked p
       where d.tenant_id = app_tenant_id() and d.conversation_id = p.conversation_id
      returning d.conversation_id`;
    if (taken.length === 0) return 0;
    const ids = [...new Set(taken.map((t) => t.conversationId))];
    await tx`select analytics_fold(${ids}::uuid[])`;
    return ids.length;
  });
}

/** Folds everything marked in one tenant; returns how many conversations it folded. */
export async function foldTenant(sql: Sql, tenantId: string, { batch = BATCH } = {}): Promise<number> {
  let folded = 0;
  for (let n = await foldBatch(sql, tenantId, batch); n > 0; n = await foldBatch(sql, tenantId, batch)) folded += n;
  return folded;
}

/**
 * Folds every tenant's marks (the folder's pass; tests and benchmarks call it to catch up): a batch per
 * tenant in turn, so a tenant written to without pause never starves the others.
 */
export async function foldAll(sql: Sql): Promise<number> {
  let folded = 0;
  for (;;) {
    let round = 0;
    for (const { tenantId } of await sql<{ tenantId: string }[]>`select analytics_dirty_tenants() as tenant_id`) {
      round += await foldBatch(sql, tenantId, BATCH);
    }
    // Nothing marked, or all of it held by other folders.
    if (round === 0) return folded;
    folded += round;
  }
}

export interface AnalyticsFolder {
  /** Asks for a pass soon (after a commit that marked something). */
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Runs a pass every `everyMs`, and sooner when poked; one pass at a time per process.
 */
export function startAnalyticsFolder(sql: Sql, { everyMs = 1_000, log }: { everyMs?: number; log: (message: string, fields?: Record<string, unknown>) => void }): AnalyticsFolder {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = foldAll(sql)
      .then(
        () => {},
        (error: unknown) => log('analytics fold failed', { error: (error as Error)?.name, code: (error as { code?: string })?.code }),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  const timer = setInterval(pass, everyMs);
  timer.unref();
  return {
    poke: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
