// POST /webhooks/whatsapp: verify Meta's signature on the raw bytes, put the body on the queue,
// and answer 200 only once the queue accepted it. Meta treats anything but 200 as a failure and
// retries for up to 7 days, so a 503 here is how we ask for the webhook again.
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
// Logs carry sizes and reasons only: never bodies, never phone numbers.

import { readBodyWithin } from "./read-body.ts";
import { verifyMetaSignature } from "./verify-signature.ts";
import { enqueueWebhook } from "./webhook-envelope.ts";

/** Meta's documented maximum payload. */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function isWhatsAppNotification(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null) return false;
  const fields = parsed as Record<string, unknown>;
  return fields.object === "whatsapp_business_account" && Array.isArray(fields.entry);
}

export async function acceptWebhook(request: Request, env: Env): Promise<Response> {
  if (!env.META_APP_SECRET) {
    console.error({ event: "webhook.misconfigured", missing: "META_APP_SECRET" });
    return plain(503, "not configured");
  }

  // Refuse before reading when the sender tells us the body is too large.
  const declaredLength = Number(request.headers.get("content-length"));
  if (declaredLength > MAX_WEBHOOK_BYTES) return plain(413, "payload too large");
  const rawBody = await readBodyWithin(request, MAX_WEBHOOK_BYTES);
  if (rawBody === null) return plain(413, "payload too large");

  const signature = request.headers.get("x-hub-signature-256");
  if (!(await verifyMetaSignature(signature, rawBody, env.META_APP_SECRET))) {
    console.warn({ event: "webhook.rejected", reason: signature ? "bad signature" : "no signature" });
    return plain(401, "invalid signature");
  }

  const rawText = decodeUtf8(rawBody);
  if (rawText === null || !isWhatsAppNotification(rawText)) {
    console.warn({ event: "webhook.rejected", reason: "not a whatsapp notification" });
    return plain(400, "not a whatsapp_business_account notification");
  }

  const receivedAt = new Date().toISOString();
  try {
    const queued = await enqueueWebhook(env, rawBody, rawText, receivedAt);
    // The hot path stays quiet; only the rare large body parked in R2 is worth a line.
    if ("bodyKey" in queued) console.log({ event: "webhook.enqueued", bytes: rawBody.byteLength, stored: true });
    return plain(200, "ok");
  } catch (error) {
    console.error({
      event: "webhook.enqueue_failed",
      bytes: rawBody.byteLength,
      error: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
    });
    return plain(503, "try again");
  }
}
