// Queue consumer for `webhooks` and its dead-letter queue `webhooks-dlq`: send the batch's raw
// bodies to the api in signed requests, ack what the api committed and retry the rest with
// backoff. After max_retries Cloudflare moves a message from `webhooks` to `webhooks-dlq`, whose
// consumer sends it to /ingest/dead-letters the same way.
// https://developers.cloudflare.com/queues/configuration/javascript-apis/#consumer

import { decideOutcome } from "./decide-outcome.ts";
import { ingestUrl, postIngest, type IngestAnswer, type IngestEvent } from "./ingest-request.ts";
import { backoffSeconds, readRetryPolicy, type RetryPolicy } from "./retry-policy.ts";
import { isQueuedWebhook, loadWebhookBody, webhookSize } from "./webhook-envelope.ts";

/** Keeps one ingest request to a size the api reads comfortably; one larger event goes alone. */
export const MAX_INGEST_REQUEST_BYTES = 4 * 1024 * 1024;

/** Splits items in order into runs whose total size stays within `limit` where possible. */
export function chunkBySize<T>(items: readonly T[], sizeOf: (item: T) => number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = sizeOf(item);
    if (current.length > 0 && size + itemSize > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

type Target = { queue: string; url: string; secret: string; policy: RetryPolicy };

export async function forwardBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deadLetters = batch.queue === "webhooks-dlq";
  const policy = readRetryPolicy(env, deadLetters);
  const url = ingestUrl(env.API_URL, batch.queue);
  if (url === null || !env.INGEST_SECRET) {
    console.error({ event: "ingest.misconfigured", queue: batch.queue, hasSecret: !!env.INGEST_SECRET });
    for (const message of batch.messages) {
      message.retry({ delaySeconds: backoffSeconds(message.attempts, policy) });
    }
    return;
  }
  const target: Target = { queue: batch.queue, url, secret: env.INGEST_SECRET, policy };
  const sizeOf = (message: Message<unknown>) =>
    isQueuedWebhook(message.body) ? webhookSize(message.body) : 0;
  // One request at a time keeps at most one chunk of large bodies in memory.
  for (const chunk of chunkBySize(batch.messages, sizeOf, MAX_INGEST_REQUEST_BYTES)) {
    await forwardChunk(chunk, env.WEBHOOK_BODIES, target);
  }
}

async function forwardChunk(
  messages: readonly Message<unknown>[],
  bodies: R2Bucket,
  target: Target,
): Promise<void> {
  const { queue } = target;
  const pending: Message<unknown>[] = [];
  const events: IngestEvent[] = [];
  const storedKeys = new Map<string, string>();

  for (const message of messages) {
    const webhook = message.body;
    if (!isQueuedWebhook(webhook)) {
      // Not something the edge produced; retried until it reaches the dead-letter queue.
      console.error({ event: "ingest.malformed_message", queue, id: message.id });
      pending.push(message);
      continue;
    }
    let body: string | null;
    try {
      body = await loadWebhookBody(bodies, webhook);
    } catch (error) {
      console.error({ event: "ingest.body_unreadable", queue, id: message.id, error: String(error) });
      pending.push(message);
      continue;
    }
    if (body === null) {
      // Stored bodies are deleted only after the api committed them, so this is a redelivery of a
      // committed message (or the body was erased since): there is nothing left to send.
      console.warn({ event: "ingest.body_gone", queue, id: message.id });
      message.ack();
      continue;
    }
    if ("bodyKey" in webhook) storedKeys.set(message.id, webhook.bodyKey);
    pending.push(message);
    events.push({ id: message.id, body, receivedAt: webhook.receivedAt, attempts: message.attempts });
  }
  if (pending.length === 0) return;

  const answer: IngestAnswer =
    events.length > 0
      ? await postIngest(target.url, target.secret, events)
      : { ok: false, reason: "nothing to send" };
  const outcome = decideOutcome(answer, pending, target.policy);

  const byId = new Map(pending.map((message) => [message.id, message]));
  for (const id of outcome.ack) byId.get(id)?.ack();
  for (const { id, delaySeconds } of outcome.retry) byId.get(id)?.retry({ delaySeconds });

  const committedKeys = outcome.ack.flatMap((id) => storedKeys.get(id) ?? []);
  if (committedKeys.length > 0) {
    await bodies.delete(committedKeys).catch((error: unknown) => {
      console.error({ event: "ingest.body_cleanup_failed", queue, keys: committedKeys.length, error: String(error) });
    });
  }

  console.log({
    event: "ingest.forwarded",
    queue,
    sent: events.length,
    committed: outcome.ack.length,
    retried: outcome.retry.length,
    ...(answer.ok ? {} : { reason: answer.reason }),
  });
}
