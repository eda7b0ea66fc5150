// POST /ingest and /ingest/dead-letters: what the edge's queue consumers call. The answer lists, per
// queue message, whether it is committed; the edge acks exactly those and retries the rest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { afterIngest, ingestBatch, storeDeadLetters, type IngestEvent } from '../ingest/ingest-batch.ts';
import { checkIngestHeader, INGEST_SIGNATURE_HEADER, verifyIngestBody } from '../ingest/ingest-signature.ts';
import type { AppConfig } from '../config.ts';
import type { Metrics } from './metrics.ts';
import type { ChangeNotifier } from '../pubsub/change-events.ts';
import type { DownloadQueue } from '../media/download-queue.ts';
import { BodyTooLarge, readBody } from './read-body.ts';
import { reply } from './reply.ts';

// A queue batch holds at most 100 messages of at most 3 MB each.
const MAX_INGEST_BYTES = 320 * 1024 * 1024;

export function createIngestRoute({ sql, config, metrics, changes, downloads }: { sql: Sql; config: AppConfig; metrics: Metrics; changes: ChangeNotifier; downloads: DownloadQueue }) {
  const refuse = (res: ServerResponse, reason: string) => {
    config.log('warn', 'ingest signature rejected', { reason });
    reply(res, 401, { error: `signature ${reason}` });
  };
  return async function ingestRoute(req: IncomingMessage, res: ServerResponse, kind: 'webhooks' | 'dead-letters') {
    if (req.method !== 'POST') return reply(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
    // A missing, malformed or stale signature is refused before the body (up to 320 MB) is read.
    const signature = checkIngestHeader(header(req, INGEST_SIGNATURE_HEADER));
    if (!signature.ok) return refuse(res, signature.reason);
    let raw: string;
    try {
      raw = await readBody(req, MAX_INGEST_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) return reply(res, 413, { error: 'batch too large' });
      throw error;
    }
    const check = verifyIngestBody(config.ingestSecret, signature, raw);
    if (!check.ok) return refuse(res, check.reason);
    const events = parseEnvelope(raw);
    if (!events) return reply(res, 400, { error: 'expected {"events":[{"id":string,"body":string,...}]}' });
    const started = performance.now();
    if (kind === 'dead-letters') {
      const results = await storeDeadLetters(sql, events);
      metrics.deadLetters.inc(events.length);
      config.log('warn', 'dead letters stored', { count: events.length });
      return reply(res, 200, { results });
    }
    const { results, stats } = await ingestBatch(sql, events);
    const failed = results.filter((r) => r.status !== 'committed').length;
    metrics.ingestSeconds.observe((performance.now() - started) / 1000);
    metrics.ingestBatches.inc({ outcome: failed ? (failed === results.length ? 'failed' : 'partial') : 'committed' });
    metrics.ingestMessages.inc(stats.messages);
    metrics.ingestStatuses.inc(stats.statuses);
    metrics.ingestDuplicates.inc(stats.duplicates);
    metrics.ingestUnroutable.inc(stats.unroutable);
    metrics.deadLetters.inc(stats.rejected);
    if (failed) config.log('error', 'ingest events failed', { failed, errors: [...new Set(results.map((r) => r.error).filter(Boolean))] });
    reply(res, 200, { results });
    void afterIngest(sql, { changes, downloads }, stats, (error) => config.log('warn', 'assignment after ingest failed', { error: (error as Error)?.name }));
  };
}

function parseEnvelope(raw: string): IngestEvent[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const events = (parsed as { events?: unknown })?.events;
  if (!Array.isArray(events) || events.length === 0) return null;
  const out: IngestEvent[] = [];
  for (const e of events) {
    if (typeof e?.id !== 'string' || typeof e?.body !== 'string') return null;
    out.push({
      id: e.id,
      body: e.body,
      receivedAt: typeof e.receivedAt === 'string' ? e.receivedAt : undefined,
      attempts: typeof e.attempts === 'number' ? e.attempts : undefined,
    });
  }
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
