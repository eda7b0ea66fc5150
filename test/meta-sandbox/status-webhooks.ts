// Status webhooks for accepted sends: sent → delivered → read, or a lone `failed` (e.g. 131047
// when the customer service window was closed). In `realistic` mode they behave like Meta's: the
// `sent` status sometimes arrives before the send call has returned, `delivered` is sometimes never
// posted (read implies it), a status is sometimes posted twice, and posting order sometimes differs
// from the order of their timestamps. `ordered` posts each once, in order; `off` posts nothing.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
import type { MetaWebhookError } from './meta-errors.ts';
import { statusUpdate, type ConversationInfo, type PricingInfo, type StatusName, type StatusUpdate } from './payloads.ts';
import { redactWamid } from './redact.ts';
import { randomInt, type Random } from './seeded-random.ts';
import type { StatusBatcher } from './status-batches.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

export type StatusWebhookMode = 'realistic' | 'ordered' | 'off';

/** How often each irregularity happens in realistic mode. */
export const realisticOdds = {
  sentBeforeResponse: 0.25,
  deliveredSkipped: 0.1,
  duplicated: 0.08,
  outOfOrder: 0.1,
} as const;

const beforeResponseWaitMs = 1_000;

export interface OutboundMessage {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  wamid: string;
  /** Phone number, or `''` when Meta withholds it from a BSUID-addressed send. */
  recipientId: string;
  recipientUserId?: string;
  acceptedAt: number;
}

export type StatusOutcome =
  | { kind: 'delivered'; conversation: Required<ConversationInfo>; pricing: PricingInfo }
  | { kind: 'failed'; error: MetaWebhookError };

export interface PlannedStatus {
  status: StatusName;
  /** Delay after acceptance before posting; 0 with `beforeResponse` means "inside the request". */
  postAfterMs: number;
  /** When it happened, relative to acceptance: the webhook's timestamp. */
  happenedAfterMs: number;
  beforeResponse: boolean;
}

/** What will be posted, and when; pure, so the irregularities can be tested exactly. */
export function planStatuses(
  outcome: StatusOutcome['kind'],
  mode: StatusWebhookMode,
  random: Random,
  [minDelay, maxDelay]: readonly [number, number],
): PlannedStatus[] {
  if (mode === 'off') return [];
  const delay = (): number => randomInt(random, minDelay, maxDelay);
  if (outcome === 'failed') {
    const at = delay();
    return [{ status: 'failed', postAfterMs: at, happenedAfterMs: at, beforeResponse: false }];
  }
  const realistic = mode === 'realistic';
  const early = realistic && random() < realisticOdds.sentBeforeResponse;
  const sentAt = early ? 0 : delay();
  const deliveredAt = sentAt + delay();
  const readAt = deliveredAt + delay();
  let plan: PlannedStatus[] = [
    { status: 'sent', postAfterMs: sentAt, happenedAfterMs: sentAt, beforeResponse: early },
    { status: 'delivered', postAfterMs: deliveredAt, happenedAfterMs: deliveredAt, beforeResponse: false },
    { status: 'read', postAfterMs: readAt, happenedAfterMs: readAt, beforeResponse: false },
  ];
  if (!realistic) return plan;
  if (random() < realisticOdds.deliveredSkipped) plan = plan.filter((p) => p.status !== 'delivered');
  const firstMovable = early ? 1 : 0;
  if (random() < realisticOdds.outOfOrder && plan.length - firstMovable >= 2) {
    // Swap when two statuses are posted; their timestamps keep the true order.
    const i = randomInt(random, firstMovable, plan.length - 2);
    const [a, b] = [plan[i], plan[i + 1]] as [PlannedStatus, PlannedStatus];
    [a.postAfterMs, b.postAfterMs] = [b.postAfterMs, a.postAfterMs];
  }
  if (random() < realisticOdds.duplicated) {
    const original = plan[randomInt(random, 0, plan.length - 1)] as PlannedStatus;
    plan.push({ ...original, postAfterMs: original.postAfterMs + delay(), beforeResponse: false });
  }
  return plan.sort((x, y) => x.postAfterMs - y.postAfterMs);
}

export interface StatusWebhooks {
  /** Schedules the statuses; resolves once those due before the HTTP response have been posted. */
  schedule(message: OutboundMessage, outcome: StatusOutcome): Promise<void>;
}

export function createStatusWebhooks({
  outbox,
  batcher,
  mode,
  delayMs,
  random,
}: {
  /** Only its timers: statuses leave through the batcher. */
  outbox: WebhookOutbox;
  batcher: StatusBatcher;
  mode: StatusWebhookMode;
  delayMs: readonly [number, number];
  random: Random;
}): StatusWebhooks {
  function statusOf(message: OutboundMessage, outcome: StatusOutcome, planned: PlannedStatus): StatusUpdate {
    const delivered = outcome.kind === 'delivered' ? outcome : undefined;
    // expiration_timestamp rides on the `sent` status only, as Meta sends it.
    const conversation = delivered && {
      id: delivered.conversation.id,
      ...(planned.status === 'sent' ? { expiration_timestamp: delivered.conversation.expiration_timestamp } : {}),
      origin: delivered.conversation.origin,
    };
    return statusUpdate({
      id: message.wamid,
      status: planned.status,
      timestamp: String(Math.floor((message.acceptedAt + planned.happenedAfterMs) / 1_000)),
      recipientId: message.recipientId,
      ...(message.recipientUserId === undefined ? {} : { recipientUserId: message.recipientUserId }),
      ...(conversation ? { conversation, pricing: (delivered as { pricing: PricingInfo }).pricing } : {}),
      ...(outcome.kind === 'failed' ? { errors: [outcome.error] } : {}),
    });
  }

  return {
    async schedule(message, outcome) {
      const plan = planStatuses(outcome.kind, mode, random, delayMs);
      const label = (p: PlannedStatus): string => `status ${p.status} of ${redactWamid(message.wamid)}`;
      // Ordered mode waits for each status's first attempt before posting the next, so concurrent
      // requests cannot overtake each other on the way; realistic mode lets them race, as Meta does.
      let previous = Promise.resolve();
      for (const planned of plan) {
        const post = (): Promise<void> =>
          batcher.add({
            wabaId: message.wabaId,
            phoneNumberId: message.phoneNumberId,
            displayPhoneNumber: message.displayPhoneNumber,
            status: statusOf(message, outcome, planned),
            label: label(planned),
          });
        // Posted before the response, but a hung edge must not hold our client's send for long.
        if (planned.beforeResponse) await Promise.race([post(), new Promise((resolve) => setTimeout(resolve, beforeResponseWaitMs).unref())]);
        else if (mode === 'ordered') outbox.later(planned.postAfterMs, () => void (previous = previous.then(post)));
        else outbox.later(planned.postAfterMs, () => void post());
      }
    },
  };
}
