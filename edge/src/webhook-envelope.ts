// What the `webhooks` queue carries for one Meta POST. The raw body travels as a string exactly as
// received (never parsed and re-serialised), so the api stores the bytes Meta signed.
//
// A queue message holds at most 128 KB (1 KB = 1000 bytes, ~100 bytes of it metadata) while Meta
// sends up to 3 MB, so a body that does not fit is written to R2 first and the message carries its
// key. R2 is strongly consistent, so the consumer can read the object as soon as it is delivered.
// https://developers.cloudflare.com/queues/platform/limits/
// https://developers.cloudflare.com/r2/reference/consistency/

export type InlineWebhook = { body: string; receivedAt: string };
export type StoredWebhook = { bodyKey: string; bytes: number; receivedAt: string };
export type QueuedWebhook = InlineWebhook | StoredWebhook;

/** Messages are sent as JSON, whose UTF-8 size we can measure exactly before sending. */
export const MAX_INLINE_MESSAGE_BYTES = 127_000;

const encoder = new TextEncoder();

type EnvelopeBindings = { WEBHOOKS: Queue; WEBHOOK_BODIES: R2Bucket };

/**
 * Resolves once the queue (and, for large bodies, R2) has durably accepted the webhook; throws
 * otherwise, so the caller answers Meta with a retryable status.
 */
export async function enqueueWebhook(
  env: EnvelopeBindings,
  rawBody: Uint8Array,
  rawText: string,
  receivedAt: string,
): Promise<QueuedWebhook> {
  const inline: InlineWebhook = { body: rawText, receivedAt };
  if (encoder.encode(JSON.stringify(inline)).byteLength <= MAX_INLINE_MESSAGE_BYTES) {
    await env.WEBHOOKS.send(inline, { contentType: "json" });
    return inline;
  }
  const stored: StoredWebhook = {
    bodyKey: `webhooks/${receivedAt.slice(0, 10)}/${crypto.randomUUID()}`,
    bytes: rawBody.byteLength,
    receivedAt,
  };
  await env.WEBHOOK_BODIES.put(stored.bodyKey, rawBody, {
    httpMetadata: { contentType: "application/json" },
  });
  try {
    await env.WEBHOOKS.send(stored, { contentType: "json" });
  } catch (error) {
    // Meta will retry the POST; this copy would never be read.
    await env.WEBHOOK_BODIES.delete(stored.bodyKey).catch(() => undefined);
    throw error;
  }
  return stored;
}

export function isQueuedWebhook(value: unknown): value is QueuedWebhook {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  if (typeof fields.receivedAt !== "string") return false;
  if (typeof fields.body === "string") return true;
  return typeof fields.bodyKey === "string" && typeof fields.bytes === "number";
}

/** Approximate size of the body in bytes, used to keep each ingest request bounded. */
export function webhookSize(webhook: QueuedWebhook): number {
  return "body" in webhook ? webhook.body.length : webhook.bytes;
}

/** The raw body text, or null when a stored body no longer exists. */
export async function loadWebhookBody(
  bucket: R2Bucket,
  webhook: QueuedWebhook,
): Promise<string | null> {
  if ("body" in webhook) return webhook.body;
  const object = await bucket.get(webhook.bodyKey);
  return object === null ? null : object.text();
}
