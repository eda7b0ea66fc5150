// The retention_sweep job: one run of every sweep at the time it runs (or at `now` in its payload,
// which only tests set; the audit purge never runs ahead of the database's own clock anyway).
import type { Sql } from '@switchboard/db/connect';
import type { Task } from 'graphile-worker';
import { runRetentionSweeps, type RetentionRunOptions } from './sweeps.ts';

export function createRetentionSweepTask({ sql, rawWebhookCeilingDays, log }: { sql: Sql } & Pick<RetentionRunOptions, 'rawWebhookCeilingDays' | 'log'>): Task {
  return async (payload) => {
    const given = (payload as { now?: unknown } | null)?.now;
    const now = typeof given === 'string' && !Number.isNaN(Date.parse(given)) ? new Date(given) : new Date();
    await runRetentionSweeps(sql, { now, rawWebhookCeilingDays, log });
  };
}
