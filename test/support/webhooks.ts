// Webhook bodies for the dev tenant's number, Meta-encoded, for journeys that need fresh messages.
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import { contactEntry, messagesChange, webhookEnvelope, type InboundMessage, type Sender } from '../meta-sandbox/payloads.ts';
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
