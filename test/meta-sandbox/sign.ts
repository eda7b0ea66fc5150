// Meta signs every webhook POST with the app secret: X-Hub-Signature-256 = sha256=<hex HMAC>,
// computed over the raw body bytes exactly as sent.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
import { createHmac } from 'node:crypto';

export function signMetaBody(appSecret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
