// POSTs webhook bodies to a callback URL the way Meta does: signed over the exact bytes, success is
// exactly HTTP 200, anything else (other statuses, timeouts, refused connections) is retried
// "immediately, then with decreasing frequency" until a give-up age (Meta: 7 days). Every retry
// sends the identical bytes with the identical signature, so receivers can dedupe and verify.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
import { signMetaBody } from './sign.ts';

export interface Backoff {
  /** Delay before the first retry; Meta retries at once. */
  firstRetryMs: number;
  /** Delay before the second retry, multiplied by `factor` after each further failure. */
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Drop the body once this long has passed since its first attempt. */
  giveUpAfterMs: number;
}

/**
 * Meta spreads retries over hours; the sandbox caps the gap at a minute so a developer who
 * restarts the edge sees the backlog arrive promptly, and keeps Meta's 7-day give-up age.
 */
export const metaLikeBackoff: Backoff = {
  firstRetryMs: 0,
  initialDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 60_000,
  giveUpAfterMs: 7 * 24 * 60 * 60 * 1_000,
};

export type DeliveryOutcome =
  | { status: 'accepted'; attempts: number }
  | { status: 'dropped'; attempts: number; lastFailure: string }
  | { status: 'cancelled'; attempts: number };

export interface AttemptReport {
  attempt: number;
  /** HTTP status, or a short reason when no response came back. */
  result: number | string;
  willRetryInMs?: number;
}

export interface DeliveryStats {
  accepted: number;
  failedAttempts: number;
  retrying: number;
  inFlight: number;
  dropped: number;
}

export interface WebhookDeliverer {
  deliver(rawBody: string | Uint8Array, report?: (attempt: AttemptReport) => void): Promise<DeliveryOutcome>;
  stats(): DeliveryStats;
  /** Cancels pending retries and in-flight requests; resolves when every delivery has settled. */
  stop(): Promise<void>;
}

export function createWebhookDeliverer({
  url,
  appSecret,
  backoff = metaLikeBackoff,
  timeoutMs = 20_000,
  fetch = globalThis.fetch,
  now = Date.now,
}: {
  url: string;
  appSecret: string;
  backoff?: Backoff;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}): WebhookDeliverer {
  const counts = { accepted: 0, failedAttempts: 0, retrying: 0, inFlight: 0, dropped: 0 };
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const requests = new Set<AbortController>();
  const deliveries = new Set<Promise<DeliveryOutcome>>();
  let stopped = false;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleepers.add(sleeper);
    });
  }

  async function attempt(bytes: Uint8Array<ArrayBuffer>, signature: string): Promise<number | string> {
    const controller = new AbortController();
    requests.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    counts.inFlight++;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signature,
          'user-agent': 'facebookexternalua',
        },
        body: bytes,
        signal: controller.signal,
      });
      // Drain so the connection is reused; the answer's content means nothing to Meta.
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (error) {
      return describeFailure(error);
    } finally {
      clearTimeout(timer);
      counts.inFlight--;
      requests.delete(controller);
    }
  }

  async function run(bytes: Uint8Array<ArrayBuffer>, report: ((a: AttemptReport) => void) | undefined): Promise<DeliveryOutcome> {
    const signature = signMetaBody(appSecret, bytes);
    const firstAttemptAt = now();
    for (let n = 1; ; n++) {
      if (stopped) return { status: 'cancelled', attempts: n - 1 };
      const result = await attempt(bytes, signature);
      if (result === 200) {
        counts.accepted++;
        report?.({ attempt: n, result });
        return { status: 'accepted', attempts: n };
      }
      counts.failedAttempts++;
      const delay = retryDelay(backoff, n);
      if (stopped) {
        report?.({ attempt: n, result });
        return { status: 'cancelled', attempts: n };
      }
      if (now() + delay - firstAttemptAt > backoff.giveUpAfterMs) {
        counts.dropped++;
        report?.({ attempt: n, result });
        return { status: 'dropped', attempts: n, lastFailure: String(result) };
      }
      report?.({ attempt: n, result, willRetryInMs: delay });
      counts.retrying++;
      await sleep(delay);
      counts.retrying--;
    }
  }

  return {
    deliver(rawBody, report) {
      // One private copy: the bytes signed are the bytes sent, on every attempt.
      const bytes = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : new Uint8Array(rawBody);
      const delivery = run(bytes, report);
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
      return delivery;
    },
    stats: () => ({ ...counts }),
    async stop() {
      stopped = true;
      for (const sleeper of sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.wake();
      }
      sleepers.clear();
      for (const controller of requests) controller.abort(new Error('stopped'));
      await Promise.allSettled([...deliveries]);
    },
  };
}

/** Delay after the n-th failed attempt (n ≥ 1). */
export function retryDelay(backoff: Backoff, failedAttempts: number): number {
  if (failedAttempts <= 1) return backoff.firstRetryMs;
  return Math.min(backoff.initialDelayMs * backoff.factor ** (failedAttempts - 2), backoff.maxDelayMs);
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'aborted';
    // fetch wraps the socket error ("fetch failed"); its cause says what actually happened.
    const cause = error.cause;
    if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
    return error.message;
  }
  return 'network error';
}
