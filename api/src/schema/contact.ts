import type { ContactRecord } from '../contacts/contact-repository.ts';
import { builder } from './builder.ts';
import { CONVERSATION_DATA } from './read-rules.ts';

export const Contact = builder.objectRef<ContactRecord>('Contact');

builder.node(Contact, {
  authScopes: CONVERSATION_DATA,
  description: 'A customer who writes to the business on WhatsApp.',
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.contacts.load(id)),
  fields: (t) => ({
    displayName: t.exposeString('displayName', { nullable: true, description: "The customer's WhatsApp profile name." }),
    waId: t.exposeString('waId', { nullable: true, description: 'Phone number as WhatsApp id; absent for users known only by username.' }),
    userId: t.exposeString('userId', { nullable: true, description: 'Business-scoped user id (BSUID) when Meta provides one.' }),
    optedOut: t.exposeBoolean('optedOut', { description: 'The customer asked to receive no messages.' }),
    marketingOptedOut: t.exposeBoolean('marketingOptOut', { description: 'The customer stopped marketing messages.' }),
  }),
});
