// Dead letters are kept whole so they can be replayed once whatever stopped them is fixed (the api was
// down for days, a number was onboarded late, a bug was deployed). Replay runs the normal ingest path,
// so it is as idempotent as live traffic: replaying twice, or replaying what Meta also retried, is safe.
import type { Sql } from '@switchboard/db/connect';
import { withPlatform } from '@switchboard/db/tenant';
import { createDownloadQueue, type DownloadQueue } from '../media/download-queue.ts';
import { createChangeNotifier, type ChangeNotifier } from '../pubsub/change-events.ts';
import { afterIngest, ingestBatch } from './ingest-batch.ts';
import { parseWebhookBody } from './parse-webhook.ts';
import { deleteDeadLetters, listDeadLetters, markDeadLettersReplayed, type DeadLetterRecord } from './webhook-event-repository.ts';

export interface ReplayReport {
  replayed: string[];
  unreadable: string[];
  failed: string[];
}

export function pendingDeadLetters(sql: Sql): Promise<DeadLetterRecord[]> {
  return withPlatform(sql, (tx) => listDeadLetters(tx, { pendingOnly: true }));
}

export async function replayDeadLetters(sql: Sql, { ids, mediaDownloadAttempts }: { ids?: string[]; mediaDownloadAttempts: number }): Promise<ReplayReport> {
  const pending = (await pendingDeadLetters(sql)).filter((l) => !ids || ids.includes(l.id));
  const report: ReplayReport = { replayed: [], unreadable: [], failed: [] };
  // Replayed messages are announced, handed out and their media downloaded like live ones.
  const after = { changes: createChangeNotifier(sql), downloads: createDownloadQueue(sql, { maxAttempts: mediaDownloadAttempts }) };
  try {
    await replayEach(sql, pending, report, after);
  } finally {
    await Promise.all([after.changes.close(), after.downloads.close()]);
  }
  return report;
}

async function replayEach(sql: Sql, pending: DeadLetterRecord[], report: ReplayReport, after: { changes: ChangeNotifier; downloads: DownloadQueue }): Promise<void> {
  for (const letter of pending) {
    // A body that is not a WhatsApp notification would only be dead-lettered again: leave it for a human.
    if (!parseWebhookBody(letter.body).ok) {
      report.unreadable.push(letter.id);
      continue;
    }
    const { results, stats } = await ingestBatch(sql, [{ id: letter.id, body: letter.body, receivedAt: letter.receivedAt?.toISOString() }]);
    await afterIngest(sql, after, stats, () => {}); // unserved queues are left to the api's sweep
    if (results[0]?.status === 'committed') {
      // A letter naming someone erased (the erasure ledger blocked it) is deleted, not kept as replayed.
      await withPlatform(sql, (tx) => (stats.erased > 0 ? deleteDeadLetters(tx, [letter.id]) : markDeadLettersReplayed(tx, [letter.id])));
      report.replayed.push(letter.id);
    } else {
      report.failed.push(letter.id);
    }
  }
}
