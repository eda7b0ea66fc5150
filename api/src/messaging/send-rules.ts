// The rules a message must pass before it may leave, in the order an agent can act on them.
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
import type { SendContext, TemplateRecord } from './outbound-repository.ts';

export type Refusal = { code: string; message: string };

export function refusalFor(ctx: SendContext, kind: { template: TemplateRecord | null; now?: Date }): Refusal | null {
  const now = kind.now ?? new Date();
  if (ctx.numberStatus === 'needs_reauthorisation')
    return { code: 'NUMBER_NEEDS_REAUTHORISATION', message: 'This WhatsApp number must be reconnected by an admin before messages can be sent.' };
  if (ctx.numberStatus !== 'connected') return { code: 'NUMBER_DISCONNECTED', message: 'This WhatsApp number is not connected.' };
  if (ctx.restricted) return { code: 'CONTACT_RESTRICTED', message: 'This customer asked us to restrict processing of their data; nothing can be sent.' };
  const template = kind.template;
  // A consent withdrawal opts the customer out too; what it still allows is decided below, a STOP is final.
  const withdrawalOptOut = !!ctx.consentWithdrawnAt && ctx.optedOutAt?.getTime() === ctx.consentWithdrawnAt.getTime();
  if (ctx.optedOut && !withdrawalOptOut) return { code: 'CONTACT_OPTED_OUT', message: 'This customer opted out of messages (they can write START to resume).' };
  if (ctx.consentWithdrawnAt && (template || !ctx.lastInboundAt || ctx.lastInboundAt <= ctx.consentWithdrawnAt))
    return {
      code: 'CONSENT_WITHDRAWN',
      message: 'This customer withdrew their consent; only a reply to a message they write after that can be sent, within 24 hours.',
    };
  if (template) {
    if (template.status !== 'APPROVED') return { code: 'TEMPLATE_NOT_APPROVED', message: `The template ${template.name} is ${template.status.toLowerCase()}, not approved.` };
    if (ctx.marketingOptOut && (template.category ?? '').toUpperCase() === 'MARKETING')
      return { code: 'MARKETING_OPTED_OUT', message: 'This customer stopped marketing messages; only utility or authentication templates can be sent.' };
    // Meta requires an opt-in before a business starts a conversation: the consent history must hold one.
    // https://developers.facebook.com/docs/whatsapp/overview/getting-opt-in
    if (!ctx.hasOptIn)
      return { code: 'NO_OPT_IN', message: 'No opt-in is recorded for this customer; an admin must record how they opted in before templates can be sent.' };
    return null;
  }
  if (!ctx.windowExpiresAt || ctx.windowExpiresAt <= now)
    return { code: 'WINDOW_CLOSED', message: 'More than 24 hours have passed since the customer last wrote; send an approved template instead.' };
  return null;
}
