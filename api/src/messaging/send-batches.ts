// The sender's reads and writes, batched across the send jobs running at once: with hundreds of sends
// in flight, one query per tenant replaces two transactions per message, which is what lets one process
// keep many business numbers at their throughput. Each job still waits for its own row to be read, and
// for its own wamid to be committed, before it completes.
//
// Batches are cut by load, not by a timer: a call starts a batch at once while fewer than `parallel` of
// its kind are running, and otherwise joins the batch that starts as soon as one finishes. An idle
// sender adds no wait to a send; a busy one gets batches as large as the database round trip allows.
import type { Sql } from '@switchboard/db/connect';
import { retryTransient } from '@switchboard/db/retry';
import { withTenant } from '@switchboard/db/tenant';
import DataLoader from 'dataloader';
import { findPendingSends, recordAccepted, type PendingSend } from './outbound-repository.ts';

export interface SendRef {
  tenantId: string;
  messageId: string;
}

/** Groups keys by tenant, runs `each` once per tenant, and answers in the keys' order. */
function perTenant<K extends SendRef, V>(each: (tenantId: string, keys: K[]) => Promise<Map<string, V>>, missing: V) {
  return async (keys: readonly K[]): Promise<V[]> => {
    const byTenant = Map.groupBy(keys, (k) => k.tenantId);
    const answers = new Map<string, V>();
    await Promise.all(
      [...byTenant].map(async ([tenantId, group]) => {
        for (const [messageId, value] of await each(tenantId, group)) answers.set(`${tenantId}|${messageId}`, value);
      }),
    );
    return keys.map((k) => answers.get(`${k.tenantId}|${k.messageId}`) ?? missing);
  };
}

/**
 * A DataLoader schedule that dispatches a batch at once while fewer than `parallel` batches are running,
 * and otherwise holds it (it keeps filling) until one finishes. `track` wraps the batch function.
 */
function loadDrivenSchedule(parallel: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    batchScheduleFn(dispatch: () => void) {
      if (active < parallel) {
        active++;
        process.nextTick(dispatch);
      } else {
        waiting.push(dispatch);
      }
    },
    track<K, V>(batch: (keys: readonly K[]) => Promise<V[]>) {
      return (keys: readonly K[]) =>
        batch(keys).finally(() => {
          const next = waiting.shift();
          if (next) process.nextTick(next); // the finished batch's slot passes straight on
          else active--;
        });
    },
  };
}

export function createSendBatches(sql: Sql, { parallel = 2, maxBatchSize = 250 } = {}) {
  const options = (schedule: ReturnType<typeof loadDrivenSchedule>) => ({ cache: false, maxBatchSize, batchScheduleFn: schedule.batchScheduleFn });
  const reads = loadDrivenSchedule(parallel);
  const writes = loadDrivenSchedule(parallel);
  const pending = new DataLoader<SendRef, PendingSend | null>(
    reads.track(
      perTenant(async (tenantId, keys) => {
        const rows = await withTenant(sql, tenantId, (tx) => findPendingSends(tx, keys.map((k) => k.messageId)));
        return new Map(rows.map((r) => [r.id, r as PendingSend | null]));
      }, null),
    ),
    options(reads),
  );
  const accepted = new DataLoader<SendRef & { wamid: string }, true>(
    writes.track(
      perTenant(async (tenantId, keys) => {
        // Meta has these messages: if recording them failed, the jobs would be retried and the customers
        // would get them twice. Transient failures (a deadlock, a dropped connection) are retried here.
        await retryTransient(() => withTenant(sql, tenantId, (tx) => recordAccepted(tx, tenantId, keys)), { attempts: 6 });
        return new Map(keys.map((k) => [k.messageId, true as const]));
      }, true),
    ),
    options(writes),
  );
  return {
    /** The queued message with what sending it needs; null when it is gone or not outbound. */
    find: (ref: SendRef) => pending.load(ref),
    /** Resolves once Meta's wamid for the message is committed. */
    recordAccepted: (ref: SendRef, wamid: string) => accepted.load({ ...ref, wamid }).then(() => undefined),
  };
}

export type SendBatches = ReturnType<typeof createSendBatches>;
