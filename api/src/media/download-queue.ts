// Download jobs for inbound media are added just after ingest commits, not inside its transaction.
// Inside, graphile-worker's add_jobs ran once per batch with its own bookkeeping — a key-reset update
// over the job table and a NOTIFY that queued every ingest commit on Postgres's one notification lock —
// and cost ingest about a tenth of its throughput. Here the media of every batch committed within
// `flushMs` get their jobs in one call.
//
// The media row is the record of work to do: a process that stops between the commit and the call
// leaves rows pending with no job. The sweep (every `sweepEveryMs`, in every api process) finds pending
// media older than `graceSeconds` without a job and queues them. A download skips media that is no
// longer pending, so a job added twice (two processes sweeping at once) costs one lookup.
import type { Sql } from '@switchboard/db/connect';
import { coalesce } from '../coalesce.ts';
import { addDownloadJobs, findMediaWithoutJob, type DownloadJob } from './media-repository.ts';

export interface DownloadQueueOptions {
  /** Tries of each download before its media is marked failed. */
  maxAttempts: number;
  flushMs?: number;
  sweepEveryMs?: number;
  graceSeconds?: number;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export interface DownloadQueue {
  /** Media committed by ingest: their downloads are queued within `flushMs`. */
  add(tenantId: string, mediaIds: string[]): void;
  /** Queues downloads for pending media that have none; returns how many. */
  sweep(): Promise<number>;
  startSweeping(): void;
  /** Queues what is pending and stops sweeping. */
  close(): Promise<void>;
}

const SWEEP_LIMIT = 1_000;

export function createDownloadQueue(sql: Sql, { maxAttempts, flushMs = 50, sweepEveryMs = 60_000, graceSeconds = 60, log = () => {} }: DownloadQueueOptions): DownloadQueue {
  const pending = coalesce<DownloadJob>(flushMs, (jobs) =>
    addDownloadJobs(sql, jobs, { maxAttempts }).catch((error: unknown) =>
      // Not lost: the rows stay pending, and the sweep queues them.
      log('warn', 'media download jobs not added; the sweep will add them', { count: jobs.length, error: (error as Error)?.name }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;

  const sweep = async () => {
    const orphans = await findMediaWithoutJob(sql, { olderThanSeconds: graceSeconds, limit: SWEEP_LIMIT });
    await addDownloadJobs(sql, orphans, { maxAttempts });
    if (orphans.length > 0) log('info', 'media downloads queued by the sweep', { count: orphans.length });
    return orphans.length;
  };

  return {
    add(tenantId, mediaIds) {
      pending.push(...mediaIds.map((mediaId) => ({ tenantId, mediaId })));
    },
    sweep,
    startSweeping() {
      timer ??= setInterval(() => {
        sweep().catch((error: unknown) => log('warn', 'media download sweep failed', { error: (error as Error)?.name }));
      }, sweepEveryMs);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      await pending.flush();
    },
  };
}
