// Simulated customers answer what the business sends them, after a human pause: a line in their
// language, sometimes quoting the agent's message (context.id = its wamid), sometimes only an emoji
// reaction to it. Answers go out as signed inbound webhooks and reopen the 24-hour window, exactly
// as a real customer's would. Reactions from the business get no answer.
import { customerLines, reactionEmoji } from './customer-lines.ts';
import type { SimulatedCustomer } from './customer-pool.ts';
import { contactEntry, messagesChange, reactionMessage, replyContext, textMessage, webhookEnvelope, type InboundInput } from './payloads.ts';
import { redactWamid } from './redact.ts';
import { pick, pickWeighted, randomInt, type Random } from './seeded-random.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

export interface BusinessLine {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface AutoReplier {
  /** Called for each accepted send that will be delivered to `customer`. */
  answer(input: { business: BusinessLine; customer: SimulatedCustomer; wamid: string; type: string }): void;
}

const answerWeights = { text: 50, quote: 30, reaction: 20 } as const;

export function createAutoReplier({
  outbox,
  random,
  delayMs,
  now,
  newWamid,
  onInbound,
}: {
  outbox: WebhookOutbox;
  random: Random;
  delayMs: readonly [number, number];
  now: () => number;
  newWamid: (counterpart: string, direction?: 'inbound' | 'outbound') => string;
  /** Feeds the customer service window. */
  onInbound: (phoneNumberId: string, customer: SimulatedCustomer, at: number) => void;
}): AutoReplier {
  return {
    answer({ business, customer, wamid, type }) {
      if (type === 'reaction') return;
      const kind = pickWeighted(random, answerWeights);
      const lines = customerLines[customer.language];
      const line = pick(random, kind === 'quote' ? lines.replies : lines.texts);
      const emoji = pick(random, reactionEmoji);
      outbox.later(randomInt(random, delayMs[0], delayMs[1]), () => {
        const at = now();
        const base: InboundInput = { from: customer, id: newWamid(customer.waId ?? customer.userId ?? '', 'inbound'), timestamp: String(Math.floor(at / 1_000)) };
        const message =
          kind === 'reaction'
            ? reactionMessage({ ...base, messageId: wamid, emoji })
            : textMessage({ ...base, body: line, ...(kind === 'quote' ? { context: replyContext({ from: business.displayPhoneNumber, id: wamid }) } : {}) });
        onInbound(business.phoneNumberId, customer, at);
        void outbox.post(
          webhookEnvelope({
            wabaId: business.wabaId,
            changes: [
              messagesChange({
                phoneNumberId: business.phoneNumberId,
                displayPhoneNumber: business.displayPhoneNumber,
                contacts: [contactEntry(customer)],
                messages: [message],
              }),
            ],
          }),
          `auto-reply ${kind} to ${redactWamid(wamid)}`,
        );
      });
    },
  };
}
