// Starts the real sandbox on port 0 with a signed-webhook receiver as the edge, a clock the spec
// moves by hand and fast status webhooks, and gives specs a small Graph client built on fetch.
import type { MessagesChange, StatusUpdate, WebhookEnvelope } from './payloads.ts';
import { seededRandom } from './seeded-random.ts';
import { buildSandbox, devAccessToken, type Sandbox, type SandboxOptions } from './server.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.ts';

export const dev = {
  appSecret: 'graph-spec-secret',
  appId: '100000000000001',
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
  accessToken: devAccessToken,
} as const;

/** Sheena Nelson of customer-pool.ts: a simulated customer with both a number and a BSUID. */
export const sheena = { waId: '16505550123', userId: 'US.13491208655302741918' } as const;

export const fastBackoff = { firstRetryMs: 0, initialDelayMs: 5, factor: 2, maxDelayMs: 20, giveUpAfterMs: 60_000 };

export interface Harness {
  sandbox: Sandbox;
  url: string;
  edge: WebhookReceiver;
  clock: { now: () => number; advance(ms: number): void; set(ms: number): void };
  graph(path: string, init?: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; json: unknown; text: string; headers: Headers }>;
  send(body: Record<string, unknown>, options?: { token?: string | null; phoneNumberId?: string }): Promise<{ status: number; json: any }>;
  /** Parsed bodies the edge received, in arrival order. */
  bodies(): WebhookEnvelope[];
  statuses(): StatusUpdate[];
  stop(): Promise<void>;
}

export const startOfTest = Date.parse('2026-05-08T10:00:00.000Z');

export async function startHarness(options: Partial<SandboxOptions> = {}): Promise<Harness> {
  const edge = await startWebhookReceiver({ appSecret: dev.appSecret });
  let time = startOfTest;
  const clock = {
    now: () => time,
    advance: (ms: number) => void (time += ms),
    set: (ms: number) => void (time = ms),
  };
  const sandbox = buildSandbox({
    ...dev,
    port: 0,
    host: '127.0.0.1',
    edgeUrl: edge.url,
    ratePerMinute: 0,
    random: seededRandom(7),
    backoff: fastBackoff,
    log: () => {},
    now: clock.now,
    statusWebhooks: 'ordered',
    statusDelayMs: [1, 3],
    ...options,
  });
  const { url } = await sandbox.start();

  const graph: Harness['graph'] = async (path, { method = 'GET', token = dev.accessToken, body, headers = {} } = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };

  const bodies = (): WebhookEnvelope[] => edge.received.map((r) => JSON.parse(r.raw.toString()) as WebhookEnvelope);
  return {
    sandbox,
    url,
    edge,
    clock,
    graph,
    async send(body, { token = dev.accessToken, phoneNumberId = dev.phoneNumberId } = {}) {
      const { status, json } = await graph(`/v24.0/${phoneNumberId}/messages`, { method: 'POST', token, body });
      return { status, json };
    },
    bodies,
    statuses: () =>
      bodies().flatMap((b) => b.entry.flatMap((e) => e.changes.flatMap((c) => (c.field === 'messages' ? ((c as MessagesChange).value.statuses ?? []) : [])))),
    async stop() {
      await sandbox.stop();
      await edge.close();
    },
  };
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const text = (to: string, body = 'Hello from the spec'): Record<string, unknown> => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});

/** The error envelope with its random fbtrace_id checked for shape and removed. */
export function withoutTrace(json: unknown): unknown {
  const error = (json as { error?: Record<string, unknown> }).error;
  if (!error) return json;
  const { fbtrace_id: trace, ...rest } = error;
  if (typeof trace !== 'string' || !/^[A-Za-z0-9_-]{23}$/.test(trace)) throw new Error(`bad fbtrace_id ${String(trace)}`);
  return { error: rest };
}
