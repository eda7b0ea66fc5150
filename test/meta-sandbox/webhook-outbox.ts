// Everything the Graph side of the sandbox posts to the edge (statuses, template updates, the
// simulated customers' answers) leaves through here: Meta-encoded bytes, signed, retried by
// webhook-delivery.ts. It also owns the timers that space those posts out, so stopping the
// sandbox cancels what is still scheduled.
import { metaStringify } from './meta-json.ts';
import type { WebhookEnvelope } from './payloads.ts';
import { createWebhookDeliverer, type Backoff, type DeliveryStats } from './webhook-delivery.ts';

export interface WebhookOutbox {
  /**
   * Posts one body; resolves after its first attempt was answered (or failed), which is what a
   * caller needs to guarantee "posted before the HTTP response". Retries continue afterwards.
   */
  post(envelope: WebhookEnvelope, label: string): Promise<void>;
  /** Runs `task` after `ms`, unless the outbox is stopped first. */
  later(ms: number, task: () => void): void;
  stats(): DeliveryStats;
  /** Posts scheduled, in flight or waiting for a retry: 0 once everything handed over has settled. */
  pending(): number;
  stop(): Promise<void>;
}

export function createWebhookOutbox({
  edgeUrl,
  appSecret,
  backoff,
  fetch,
  now,
  log,
}: {
  edgeUrl: string;
  appSecret: string;
  backoff?: Backoff;
  fetch?: typeof globalThis.fetch;
  now: () => number;
  log: (line: string) => void;
}): WebhookOutbox {
  const deliverer = createWebhookDeliverer({
    url: new URL('/webhooks/whatsapp', edgeUrl).toString(),
    appSecret,
    now,
    ...(backoff ? { backoff } : {}),
    ...(fetch ? { fetch } : {}),
  });
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  return {
    post(envelope, label) {
      if (stopped) return Promise.resolve();
      return new Promise((firstAttempt) => {
        void deliverer
          .deliver(metaStringify(envelope), ({ attempt, result, willRetryInMs }) => {
            if (attempt === 1) firstAttempt();
            if (result === 200) return;
            log(`meta-sandbox: ${label} attempt ${attempt} got ${result}${willRetryInMs === undefined ? '; not retrying' : `; retrying in ${willRetryInMs} ms`}`);
          })
          .finally(() => firstAttempt());
      });
    },
    later(ms, task) {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) task();
      }, ms);
      timers.add(timer);
    },
    stats: () => deliverer.stats(),
    pending() {
      const { inFlight, retrying } = deliverer.stats();
      return timers.size + inFlight + retrying;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await deliverer.stop();
    },
  };
}
