import { findContactsByIds, type ContactRecord } from '../contacts/contact-reads.ts';
import { inTenant } from '../context.ts';
import { builder } from './builder.ts';

export const Contact = builder.objectRef<ContactRecord>('Contact');

builder.node(Contact, {
  description: 'A customer who writes to the business on WhatsApp.',
  id: { resolve: (c) => c.id },
  loadMany: async (ids, ctx) => {
    const rows = await inTenant(ctx, (tx) => findContactsByIds(tx, ids.filter(isUuid)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  },
  fields: (t) => ({
    displayName: t.exposeString('displayName', { nullable: true, description: "The customer's WhatsApp profile name." }),
    waId: t.exposeString('waId', { nullable: true, description: 'Phone number as WhatsApp id; absent for users known only by username.' }),
    userId: t.exposeString('userId', { nullable: true, description: 'Business-scoped user id (BSUID) when Meta provides one.' }),
    optedOut: t.exposeBoolean('optedOut', { description: 'The customer asked to receive no messages.' }),
    marketingOptedOut: t.exposeBoolean('marketingOptOut', { description: 'The customer stopped marketing messages.' }),
  }),
});

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
