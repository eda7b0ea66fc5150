// The job worker (graphile-worker): sends queued messages and downloads inbound media. Jobs are added
// by SQL in the same transaction as the rows they act on; this process picks them up at once (LISTEN)
// and retries failures with graphile-worker's exponential backoff.
import type pg from 'pg';
import { Logger, run, type Runner, type Task } from 'graphile-worker';
import { sendQueuedMessage, type SendJob, type SenderDeps } from '../messaging/sender.ts';

export interface WorkerOptions {
  pool: pg.Pool;
  concurrency: number;
  sender: SenderDeps;
  extraTasks?: Record<string, Task>;
  log: SenderDeps['log'];
}

export async function startJobWorker({ pool, concurrency, sender, extraTasks = {}, log }: WorkerOptions): Promise<Runner> {
  const sendMessage: Task = async (payload, helpers) => {
    const job = payload as SendJob;
    await sendQueuedMessage(sender, job, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
  };
  return run({
    pgPool: pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new Logger(() => (level, message) => {
      if (level === 'error' || level === 'warning') log(level === 'error' ? 'error' : 'warn', `jobs: ${message.split('\n')[0]!.slice(0, 300)}`);
    }),
    taskList: { send_message: sendMessage, ...extraTasks },
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
