// The job workers (graphile-worker): send queued messages, and download inbound media. Send jobs are
// added by SQL in the same transaction as their message; download jobs right after ingest commits, with a
// sweep for any a stopped process left out (media/download-queue.ts). These runners pick jobs up at once
// (LISTEN) and retry failures with graphile-worker's exponential backoff.
//
// Each kind has a runner of its own, because they need different numbers in flight: a send waits on
// Meta and holds almost nothing, so hundreds run at once; a download holds its file in memory (up to
// 100 MB) and competes with ingest for CPU, so only a few do. A runner only fetches jobs of its own tasks.
import type pg from 'pg';
import { Logger, run, type Runner, type Task, type TaskList } from 'graphile-worker';
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
  log: SenderDeps['log'];
}

export interface JobWorkers {
  stop(): Promise<void>;
}

export async function startJobWorkers({ pool, concurrency, mediaConcurrency, sender, downloadMedia, deleteMediaBlob, log }: WorkerOptions): Promise<JobWorkers> {
  const sendMessage: Task = async (payload, helpers) => {
    const job = payload as SendJob;
    await sendQueuedMessage(sender, job, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
  };
  const runners: Runner[] = [];
  try {
    runners.push(await runner(pool, { send_message: sendMessage }, concurrency, log));
    runners.push(await runner(pool, { download_media: downloadMedia, delete_media_blob: deleteMediaBlob }, mediaConcurrency, log));
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

function runner(pool: pg.Pool, taskList: TaskList, concurrency: number, log: SenderDeps['log']): Promise<Runner> {
  return run({
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
