// Raw webhook storage: per-tenant events (dedupe + audit), unroutable changes, dead letters.
import type { TransactionSql } from '@switchboard/db/connect';
import { epoch } from '@switchboard/db/json-rows';
import type { WebhookChange } from './parse-webhook.ts';

/**
 * The rows as one JSON array for json_to_recordset, with each change's payload spliced in as the text it
 * was already serialised to (and hashed from) rather than serialised again.
 */
function recordset<C extends WebhookChange>(changes: C[], columns: (c: C) => Record<string, unknown>): string {
  return `[${changes.map((c) => `${JSON.stringify(columns(c)).slice(0, -1)},"payload":${c.payloadJson}}`).join(',')}]`;
}

/** Stores raw changes; returns the hashes stored now. A hash already present means "seen before: skip". */
export async function insertWebhookEvents(tx: TransactionSql, changes: (WebhookChange & { receivedAt: Date })[]): Promise<Set<string>> {
  if (changes.length === 0) return new Set();
  const rowsJson = recordset(changes, (c) => ({
    waba_id: c.wabaId,
    field: c.field,
    payload_sha256: c.sha256,
    received_at: epoch(c.receivedAt),
  }));
  const rows = await tx<{ payloadSha256: string }[]>`
    insert into webhook_events (tenant_id, waba_id, field, payload, payload_sha256, received_at)
    select app_tenant_id(), x.waba_id, x.field, x.payload, x.payload_sha256, to_timestamp(x.received_at)
      from json_to_recordset(${rowsJson}::text::json)
        as x(waba_id text, field text, payload json, payload_sha256 text, received_at float8)
    on conflict (tenant_id, payload_sha256) do nothing
    returning payload_sha256`;
  return new Set(rows.map((r) => r.payloadSha256));
}

/** Takes raw copies back out, by payload hash (a delivery the erasure ledger blocks). */
export async function deleteWebhookEvents(tx: TransactionSql, sha256s: string[]): Promise<void> {
  await tx`delete from webhook_events where tenant_id = app_tenant_id() and payload_sha256 = any(${sha256s}::text[])`;
}

export async function insertUnroutableEvents(tx: TransactionSql, changes: WebhookChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rowsJson = recordset(changes, (c) => ({
    waba_id: c.wabaId,
    phone_number_id: c.phoneNumberId,
    field: c.field,
    payload_sha256: c.sha256,
  }));
  await tx`
    insert into unroutable_events (waba_id, phone_number_id, field, payload, payload_sha256)
    select x.waba_id, x.phone_number_id, x.field, x.payload, x.payload_sha256
      from json_to_recordset(${rowsJson}::text::json)
        as x(waba_id text, phone_number_id text, field text, payload json, payload_sha256 text)
    on conflict (payload_sha256) do nothing`;
}

export interface DeadLetterWrite {
  queueMessageId: string | null;
  body: string;
  bodySha256: string;
  reason: string;
  attempts: number;
  receivedAt: Date | null;
}

export async function insertDeadLetters(tx: TransactionSql, letters: DeadLetterWrite[]): Promise<void> {
  if (letters.length === 0) return;
  const payload = letters.map((l) => ({
    queue_message_id: l.queueMessageId,
    body: l.body,
    body_sha256: l.bodySha256,
    reason: l.reason,
    attempts: l.attempts,
    received_at: epoch(l.receivedAt),
  }));
  await tx`
    insert into dead_letters (queue_message_id, body, body_sha256, reason, attempts, received_at)
    select x.queue_message_id, x.body, x.body_sha256, x.reason, x.attempts, to_timestamp(x.received_at)
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(queue_message_id text, body text, body_sha256 text, reason text, attempts integer, received_at float8)
    on conflict (body_sha256) do update
       set attempts = greatest(dead_letters.attempts, excluded.attempts), reason = excluded.reason`;
}

export interface DeadLetterRecord {
  id: string;
  queueMessageId: string | null;
  body: string;
  reason: string;
  attempts: number;
  receivedAt: Date | null;
  createdAt: Date;
  replayedAt: Date | null;
}

export async function listDeadLetters(tx: TransactionSql, { pendingOnly = true } = {}): Promise<DeadLetterRecord[]> {
  return tx<DeadLetterRecord[]>`
    select id, queue_message_id, body, reason, attempts, received_at, created_at, replayed_at
      from dead_letters
     ${pendingOnly ? tx`where replayed_at is null` : tx``}
     order by created_at`;
}

/** Deletes dead letters (one the erasure ledger blocked on replay: it must leave no copy). */
export async function deleteDeadLetters(tx: TransactionSql, ids: string[]): Promise<void> {
  await tx`delete from dead_letters where id = any(${ids}::uuid[])`;
}

export async function markDeadLettersReplayed(tx: TransactionSql, ids: string[]): Promise<void> {
  await tx`update dead_letters set replayed_at = now() where id = any(${ids}::uuid[])`;
}
