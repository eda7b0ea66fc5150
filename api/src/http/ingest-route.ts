// POST /ingest and /ingest/dead-letters: what the edge's queue consumers call. The answer lists, per
// queue message, whether it is committed; the edge acks exactly those and retries the rest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { afterIngest, ingestBatch, storeDeadLetters, type IngestEvent } from '../ingest/ingest-batch.ts';
import { checkIngestHeader, ingestBodyVerifier, INGEST_SIGNATURE_HEADER } from '../ingest/ingest-signature.ts';
import type { AppConfig } from '../config.ts';
import type { Metrics } from './metrics.ts';
import type { ChangeNotifier } from '../pubsub/change-events.ts';
import type { DownloadQueue } from '../media/download-queue.ts';
import { BodyTooLarge, cappedChunks, declaresMoreThan } from './read-body.ts';
import { reply } from './reply.ts';

/**
 * The most one request from the edge can hold, with a margin: 4 × the edge's request budget.
 * The edge splits each queue batch into requests whose bodies add up to at most 4 MiB
 * (MAX_INGEST_REQUEST_BYTES in edge/src/forward-batch.ts; a single body, at most Meta's 3 MB, goes
 * alone). It counts characters, and in the JSON it sends a character of Meta's JSON takes at most 3
 * bytes (UTF-8 of a non-Latin character; 2 for an escaped quote, backslash or newline), so a request
 * stays under 12 MiB plus ~20 KB of envelope. The remaining 4 MiB is the margin.
 */
export const MAX_INGEST_BYTES = 16 * 1024 * 1024;

export function createIngestRoute({ sql, config, metrics, changes, downloads }: { sql: Sql; config: AppConfig; metrics: Metrics; changes: ChangeNotifier; downloads: DownloadQueue }) {
  const refuse = (res: ServerResponse, reason: string) => {
    config.log('warn', 'ingest signature rejected', { reason });
    reply(res, 401, { error: `signature ${reason}` });
  };
  return async function ingestRoute(req: IncomingMessage, res: ServerResponse, kind: 'webhooks' | 'dead-letters') {
    if (req.method !== 'POST') return reply(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
    // A missing, malformed or stale signature is refused before any of the body is read, one that
    // announces more than the cap too; a streamed body is cut off at the first chunk past the cap.
    const signature = checkIngestHeader(header(req, INGEST_SIGNATURE_HEADER));
    if (!signature.ok) return refuse(res, signature.reason);
    if (declaresMoreThan(req.headers['content-length'], MAX_INGEST_BYTES)) return tooLarge(res);
    // The HMACs are computed as the body streams. The chunks are kept meanwhile (they are the batch,
    // once it checks out), but a body whose first 64 KiB the edge did not sign (p1) is refused as soon
    // as they have arrived, reading no further: a forged body is never held whole, and never decoded.
    const verifier = ingestBodyVerifier(config.ingestSecret, signature);
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of cappedChunks(req, MAX_INGEST_BYTES)) {
        if (!verifier.update(chunk)) return refuse(res, 'mismatch');
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge(res);
      throw error;
    }
    const check = verifier.check();
    if (!check.ok) return refuse(res, check.reason);
    const raw = Buffer.concat(chunks).toString('utf8');
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
    metrics.ingestClosedTenant.inc(stats.closedTenant);
    metrics.deadLetters.inc(stats.rejected);
    if (failed) config.log('error', 'ingest events failed', { failed, errors: [...new Set(results.map((r) => r.error).filter(Boolean))] });
    reply(res, 200, { results });
    void afterIngest(sql, { changes, downloads }, stats, (error) => config.log('warn', 'assignment after ingest failed', { error: (error as Error)?.name }));
  };
}

function tooLarge(res: ServerResponse): void {
  reply(res, 413, { error: `batch too large: the limit is ${MAX_INGEST_BYTES} bytes` });
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
