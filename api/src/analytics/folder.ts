// Keeps the analytics rollups up to date: conversations marked dirty by the triggers of migration 00060
// (a message stored, a conversation assigned, moved or resolved) are folded in batches, each in one
// short transaction that takes its marks and applies the difference to the rollups — if it fails, the
// marks come back with the rollback and the next pass folds them. Any number of api processes may run
// it: marks are taken with SKIP LOCKED and analytics_fold locks each conversation's metrics row.
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';

/** Conversations per fold transaction. */
const BATCH = 1_000;
/** A pass may start only this many times its last pass's duration after that one started… */
const DUTY = 5;
/** …so a live pass takes more at once: up to this many conversations per tenant. */
const LIVE_BATCH = 5_000;

/** One fold transaction: the oldest marks of a tenant nobody else holds; returns the conversations folded. */
async function foldBatch(sql: Sql, tenantId: string, batch: number): Promise<number> {
  return withTenant(sql, tenantId, async (tx) => {
    // The oldest marks nobody else holds, then every mark of their conversations (a conversation may
    // have many: marks are appended, migration 00062); `batch` bounds the conversations, not the marks.
    const taken = await tx<{ conversationId: string; messageIds: string[] | null }[]>`
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
      returning d.conversation_id, d.message_ids`;
    if (taken.length === 0) return 0;
    const ids = [...new Set(taken.map((t) => t.conversationId))];
    // A mark naming no message is a change to the conversation itself: that conversation is folded whole.
    // The others may only have grown by the messages their marks name (analytics_fold decides).
    const changed = [...new Set(taken.filter((t) => !t.messageIds).map((t) => t.conversationId))];
    const messages = taken.flatMap((t) => t.messageIds ?? []);
    await tx`select analytics_fold(${ids}::uuid[], ${changed}::uuid[], ${messages}::uuid[])`;
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
 * One round: a batch of every tenant with marks, in turn, so a tenant written to without pause never
 * starves the others. Returns the conversations folded and whether some tenant has more waiting (a batch
 * came back full).
 */
async function foldRound(sql: Sql, batch = BATCH): Promise<{ folded: number; more: boolean }> {
  let folded = 0;
  let more = false;
  for (const { tenantId } of await sql<{ tenantId: string }[]>`select analytics_dirty_tenants() as tenant_id`) {
    const n = await foldBatch(sql, tenantId, batch);
    folded += n;
    if (n === batch) more = true;
  }
  return { folded, more };
}

/** Folds every tenant's marks, round after round until none is left (tests and benchmarks catch up with it). */
export async function foldAll(sql: Sql): Promise<number> {
  let folded = 0;
  for (;;) {
    const round = await foldRound(sql);
    // Nothing marked, or all of it held by other folders.
    if (round.folded === 0) return folded;
    folded += round.folded;
  }
}

export interface AnalyticsFolder {
  /** Asks for a pass soon (after a commit that marked something). */
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Runs a pass (a round over the tenants with marks) every `everyMs`, and when poked; one pass at a time
 * per process, and passes start at least `everyMs` apart unless a batch came back full. A change after a
 * quiet spell is folded at once; under steady writes each pass takes what a second brought, in one batch
 * per tenant, rather than a pass per commit — the fold's fixed costs (taking marks, working tables, one
 * upsert per rollup row touched) are paid once per batch, and a conversation written to several times in
 * that second is folded once.
 */
export function startAnalyticsFolder(sql: Sql, { everyMs = 1_000, log }: { everyMs?: number; log: (message: string, fields?: Record<string, unknown>) => void }): AnalyticsFolder {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastStart = -Infinity;
  /** How long after the last pass started the next may start: `everyMs`, or more after a long pass. */
  let gap = everyMs;
  let soon: NodeJS.Timeout | null = null;
  const pass = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    const wait = lastStart + gap - performance.now();
    if (wait > 0) {
      soon ??= setTimeout(() => {
        soon = null;
        pass();
      }, wait);
      return;
    }
    const started = (lastStart = performance.now());
    running = foldRound(sql, LIVE_BATCH)
      .then(
        ({ more }) => {
          // The folder takes at most a fifth of the time: after a pass of 400 ms the next starts 2 s after
          // it did, and folds what those 2 s brought at once — a conversation written to several times
          // in them is folded once, and the rollup rows they share are written once.
          // With a backlog (a batch came back full) it may not wait that long: the next pass within `everyMs`.
          gap = more ? everyMs : Math.max(everyMs, (performance.now() - started) * DUTY);
          again ||= more;
        },
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
      if (soon) clearTimeout(soon);
      await running;
    },
  };
}
