// The sender's reads and writes, batched across the send jobs running at once: with dozens of sends in
// flight, one query per tenant every few milliseconds replaces two transactions per message, which is
// what lets one process keep many business numbers at their throughput. Each job still waits for its
// own row to be read, and for its own wamid to be committed, before it completes.
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

export function createSendBatches(sql: Sql, { windowMs = 5, maxBatchSize = 250 } = {}) {
  const options = { cache: false, maxBatchSize, batchScheduleFn: (run: () => void) => setTimeout(run, windowMs) };
  const pending = new DataLoader<SendRef, PendingSend | null>(
    perTenant(async (tenantId, keys) => {
      const rows = await withTenant(sql, tenantId, (tx) => findPendingSends(tx, keys.map((k) => k.messageId)));
      return new Map(rows.map((r) => [r.id, r as PendingSend | null]));
    }, null),
    options,
  );
  const accepted = new DataLoader<SendRef & { wamid: string }, true>(
    perTenant(async (tenantId, keys) => {
      // Meta has these messages: if recording them failed, the jobs would be retried and the customers
      // would get them twice. Transient failures (a deadlock, a dropped connection) are retried here.
      await retryTransient(() => withTenant(sql, tenantId, (tx) => recordAccepted(tx, tenantId, keys)), { attempts: 6 });
      return new Map(keys.map((k) => [k.messageId, true as const]));
    }, true),
    options,
  );
  return {
    /** The queued message with what sending it needs; null when it is gone or not outbound. */
    find: (ref: SendRef) => pending.load(ref),
    /** Resolves once Meta's wamid for the message is committed. */
    recordAccepted: (ref: SendRef, wamid: string) => accepted.load({ ...ref, wamid }).then(() => undefined),
  };
}

export type SendBatches = ReturnType<typeof createSendBatches>;
