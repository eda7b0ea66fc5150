// Webhook bodies for the dev tenant's number, Meta-encoded, for journeys that need fresh messages.
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import { callsChange, contactEntry, messageEchoesChange, messagesChange, webhookEnvelope, type CallEntry, type InboundMessage, type MessageEcho, type Sender } from '../meta-sandbox/payloads.ts';
import { DEV_TENANT } from './stack.ts';

export function devTenantBody(from: Sender, messages: InboundMessage[]): string {
  return metaStringify(
    webhookEnvelope({
      wabaId: DEV_TENANT.wabaId,
      changes: [
        messagesChange({
          phoneNumberId: DEV_TENANT.phoneNumberId,
          displayPhoneNumber: DEV_TENANT.displayPhoneNumber,
          contacts: [contactEntry(from)],
          messages,
        }),
      ],
    }),
  );
}

/** What the business sent from the WhatsApp Business app on the dev tenant's number (coexistence echoes). */
export function devTenantEchoes(echoes: MessageEcho[]): string {
  return metaStringify(
    webhookEnvelope({
      wabaId: DEV_TENANT.wabaId,
      changes: [messageEchoesChange({ phoneNumberId: DEV_TENANT.phoneNumberId, displayPhoneNumber: DEV_TENANT.displayPhoneNumber, echoes })],
    }),
  );
}

/** Calls between a customer and the dev tenant's number (`calls` field). */
export function devTenantCalls(customer: Sender, calls: CallEntry[]): string {
  return metaStringify(
    webhookEnvelope({
      wabaId: DEV_TENANT.wabaId,
      changes: [callsChange({ phoneNumberId: DEV_TENANT.phoneNumberId, displayPhoneNumber: DEV_TENANT.displayPhoneNumber, contacts: [contactEntry(customer)], calls })],
    }),
  );
}
