// The `conversation` and `pricing` objects of status webhooks under per-message pricing (PMP, since
// July 2025): templates are billed per message by category, except utility templates inside an
// open customer service window; free-form messages (only possible inside the window) are free.
// Conversation ids stay stable per number, customer and category for 24 hours.
// https://developers.facebook.com/docs/whatsapp/pricing
import type { ConversationInfo, PricingInfo } from './payloads.ts';
import { randomHex, type Random } from './seeded-random.ts';

export type BillingCategory = 'service' | 'marketing' | 'utility' | 'authentication';

export function pricingFor(category: BillingCategory, windowOpen: boolean): PricingInfo {
  const free = category === 'service' || (category === 'utility' && windowOpen);
  return free
    ? { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category }
    : { billable: true, pricing_model: 'PMP', type: 'regular', category };
}

export interface Conversations {
  /** The conversation a message joins; `expiration_timestamp` goes on its `sent` status only. */
  conversationFor(input: { phoneNumberId: string; customer: string; category: BillingCategory; at: number }): Required<ConversationInfo>;
}

const conversationMs = 24 * 60 * 60 * 1_000;

export function createConversations(random: Random): Conversations {
  const open = new Map<string, { id: string; expiresAt: number }>();
  return {
    conversationFor({ phoneNumberId, customer, category, at }) {
      const key = `${phoneNumberId}|${customer}|${category}`;
      let conversation = open.get(key);
      if (!conversation || conversation.expiresAt <= at) open.set(key, (conversation = { id: randomHex(random, 32), expiresAt: at + conversationMs }));
      return { id: conversation.id, expiration_timestamp: String(Math.floor(conversation.expiresAt / 1_000)), origin: { type: category } };
    },
  };
}
