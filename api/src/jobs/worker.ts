// The job workers (graphile-worker): send queued messages, and download inbound media. Send jobs are
// added by SQL in the same transaction as their message; download jobs right after ingest commits, with a
// sweep for any a stopped process left out (media/download-queue.ts). The retention sweeps run hourly by
// graphile-worker's cron (retention/sweeps.ts). These runners pick jobs up at once
// (LISTEN) and retry failures with graphile-worker's exponential backoff.
//
// Each kind has a runner of its own, because they need different numbers in flight: a send waits on
// Meta and holds almost nothing, so hundreds run at once; a download holds its file in memory (up to
// 100 MB) and competes with ingest for CPU, so only a few do. A runner only fetches jobs of its own tasks.
import type pg from 'pg';
import { Logger, parseCronItems, run, type ParsedCronItem, type Runner, type Task, type TaskList } from 'graphile-worker';
import { sendQueuedMessage, type SendJob, type SenderDeps } from '../messaging/sender.ts';

export interface WorkerOptions {
  pool: pg.Pool;
  /** Sends in flight. */
  concurrency: number;
  /** Media downloads in flight. */
  mediaConcurrency: number;
  sender: SenderDeps;
  downloadMedia: Task;
  /** Removes a revoked message's file from the blob store (media/delete-media-blob.ts). */
  deleteMediaBlob: Task;
  /** Runs a privacy request (privacy/run-request.ts). */
  privacyRequest: Task;
  /** One run of the retention sweeps (retention/sweep-task.ts). */
  retentionSweep: Task;
  /** When it runs, as a crontab pattern in UTC (RETENTION_SCHEDULE); null: never by itself. */
  retentionSchedule: string | null;
  log: SenderDeps['log'];
}

/** Retention runs one at a time across every api process: one named queue, one pending job at most. */
export const RETENTION_JOB = { task: 'retention_sweep', queue: 'retention', key: 'retention_sweep' } as const;

export interface JobWorkers {
  stop(): Promise<void>;
}

export async function startJobWorkers({ pool, concurrency, mediaConcurrency, sender, downloadMedia, deleteMediaBlob, privacyRequest, retentionSweep, retentionSchedule, log }: WorkerOptions): Promise<JobWorkers> {
  const sendMessage: Task = async (payload, helpers) => {
    const job = payload as SendJob;
    await sendQueuedMessage(sender, job, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
  };
  const runners: Runner[] = [];
  try {
    runners.push(await runner(pool, { send_message: sendMessage }, concurrency, log));
    runners.push(await runner(pool, { download_media: downloadMedia, delete_media_blob: deleteMediaBlob }, mediaConcurrency, log));
    // Privacy requests: a few at a time, each in its own transactions (privacy/run-request.ts).
    runners.push(await runner(pool, { run_privacy_request: privacyRequest }, 2, log));
    // graphile-worker's cron schedules the sweep in every process; its known_crontabs table makes sure
    // each tick is scheduled once. A run also starts with the process, so a stopped cluster catches up.
    const cron: ParsedCronItem[] = retentionSchedule
      ? parseCronItems([{ task: RETENTION_JOB.task, match: retentionSchedule, identifier: RETENTION_JOB.key, options: { backfillPeriod: 0, queueName: RETENTION_JOB.queue, jobKey: RETENTION_JOB.key, maxAttempts: 3 } }])
      : [];
    runners.push(await runner(pool, { [RETENTION_JOB.task]: retentionSweep }, 1, log, cron));
    if (retentionSchedule) {
      await pool.query(`select graphile_worker.add_job($1, '{}'::json, queue_name => $2, job_key => $3, job_key_mode => 'preserve_run_at', max_attempts => 3)`, [RETENTION_JOB.task, RETENTION_JOB.queue, RETENTION_JOB.key]);
    }
  } catch (error) {
    await Promise.all(runners.map((r) => r.stop()));
    throw error;
  }
  return {
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}

function runner(pool: pg.Pool, taskList: TaskList, concurrency: number, log: SenderDeps['log'], parsedCronItems: ParsedCronItem[] = []): Promise<Runner> {
  return run({
    parsedCronItems,
    pgPool: pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new Logger(() => (level, message) => {
      if (level === 'error' || level === 'warning') log(level === 'error' ? 'error' : 'warn', `jobs: ${message.split('\n')[0]!.slice(0, 300)}`);
    }),
    taskList,
    preset: {
      worker: {
        // Fetch jobs in batches and complete them in batches: thousands of sends a second cost a few
        // queries each instead of several round trips per job.
        localQueue: { size: concurrency * 2 },
        completeJobBatchDelay: 2,
        failJobBatchDelay: 2,
      },
    },
  });
}
