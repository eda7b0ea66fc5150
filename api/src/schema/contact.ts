// Contact: a customer, what they allow (opt-in, opt-outs, restriction), and their consent history; and
// recordContactOptIn, how admins record an opt-in given outside WhatsApp (contacts/consent.ts).
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { contactSearch, listContacts, type ContactRecord, type ListedContact } from '../contacts/contact-repository.ts';
import type { ConsentEventRecord } from '../contacts/consent-repository.ts';
import { recordContactOptIn } from '../contacts/consent.ts';
import { inTenant, tenantViewer } from '../context.ts';
import { CONSENT_EVENTS_PER_CONTACT, isUuid } from '../loaders.ts';
import { builder } from './builder.ts';
import { COMMON_ERRORS, NotFoundError, unwrap } from './errors.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { CONSENT_HISTORY, CONVERSATION_DATA, MUTATION_RESULT } from './read-rules.ts';

export const Contact = builder.objectRef<ContactRecord>('Contact');

const OptInBasis = builder.enumType('OptInBasis', {
  description: 'How a customer opted in to hear from the business.',
  values: {
    CUSTOMER_WROTE_FIRST: { value: 'customer_wrote_first', description: 'They wrote to the business first (recorded at their first message).' },
    TEMPLATE_OPT_IN: { value: 'template_opt_in', description: 'They agreed to receive templates (a form, a checkbox, a message), recorded by an admin.' },
    IMPORT: { value: 'import', description: 'Imported from another system, with the basis stated in `statement`.' },
  } as const,
});

const ConsentEventKind = builder.enumType('ConsentEventKind', {
  values: {
    OPTED_IN: { value: 'opted_in' },
    OPTED_OUT: { value: 'opted_out', description: 'STOP, or a consent withdrawal: no messages.' },
    OPTED_BACK_IN: { value: 'opted_back_in', description: 'START after STOP.' },
    MARKETING_OPTED_OUT: { value: 'marketing_opted_out', description: "The customer stopped marketing messages in WhatsApp." },
    MARKETING_OPTED_IN: { value: 'marketing_opted_in' },
    RESTRICTED: { value: 'restricted', description: 'Processing restricted: data kept, nothing sent, no automation.' },
    RESTRICTION_LIFTED: { value: 'restriction_lifted' },
    OBJECTED: { value: 'objected', description: 'The customer objected to processing: no marketing.' },
    OBJECTION_LIFTED: { value: 'objection_lifted' },
    CONSENT_WITHDRAWN: { value: 'consent_withdrawn', description: 'No marketing, no business-initiated messages, no automation.' },
    CONSENT_RESTORED: { value: 'consent_restored' },
  } as const,
});

const ConsentSource = builder.enumType('ConsentSource', {
  description: 'Who or what made the change.',
  values: {
    CUSTOMER: { value: 'customer', description: 'The customer, in WhatsApp (their first message, STOP/START, marketing preference).' },
    AGENT: { value: 'agent' },
    ADMIN: { value: 'admin' },
    API_KEY: { value: 'api_key' },
    PRIVACY_REQUEST: { value: 'privacy_request', description: 'A privacy request (restriction, objection, consent withdrawal).' },
    IMPORT: { value: 'import' },
  } as const,
});

const ConsentEvent = builder.objectRef<ConsentEventRecord>('ConsentEvent').implement({
  authScopes: CONSENT_HISTORY,
  description: 'One entry of a customer’s consent history.',
  fields: (t) => ({
    kind: t.field({ type: ConsentEventKind, resolve: (e) => e.kind }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    basis: t.field({ type: OptInBasis, nullable: true, description: 'For OPTED_IN: how.', resolve: (e) => e.basis }),
    statement: t.exposeString('statement', { nullable: true, description: 'The basis stated in words (always for IMPORT).' }),
    source: t.field({ type: ConsentSource, resolve: (e) => e.source }),
  }),
});

builder.node(Contact, {
  authScopes: CONVERSATION_DATA,
  description: 'A customer who writes to the business on WhatsApp.',
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.contacts.load(id)),
  fields: (t) => ({
    displayName: t.exposeString('displayName', { nullable: true, description: "The customer's WhatsApp profile name." }),
    waId: t.exposeString('waId', { nullable: true, description: 'Phone number as WhatsApp id; absent for users known only by username.' }),
    userId: t.exposeString('userId', { nullable: true, description: 'Business-scoped user id (BSUID) when Meta provides one.' }),
    parentUserId: t.exposeString('parentUserId', { nullable: true, description: "Meta's parent BSUID, shared across a business portfolio's apps, when Meta provides one." }),
    lastMessageAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The newest message of a conversation with them that the caller may see; null when there is none.',
      resolve: async (c, _args, ctx) => (c.lastMessageAt !== undefined ? c.lastMessageAt : ((await ctx.loaders.contacts.load(c.id))?.lastMessageAt ?? null)),
    }),
    optedOut: t.exposeBoolean('optedOut', { description: 'The customer asked to receive no messages (STOP), or withdrew consent.' }),
    marketingOptedOut: t.exposeBoolean('marketingOptOut', { description: 'The customer stopped marketing messages (in WhatsApp, by objection or withdrawal).' }),
    restricted: t.exposeBoolean('restricted', {
      description: 'Processing is restricted (a RESTRICTION request): data kept, nothing sent, no bots, AI or automatic assignment.',
    }),
    consentWithdrawn: t.boolean({
      description: 'Consent to processing withdrawn: no business-initiated messages, no bots, AI or automatic assignment; replies to what they write afterwards only.',
      resolve: (c) => c.consentWithdrawnAt !== null,
    }),
    consentHistory: t.field({
      type: [ConsentEvent],
      description: `How the customer opted in and every change since, oldest first (the latest ${CONSENT_EVENTS_PER_CONTACT}).`,
      // Batched: a page of conversations asks for all their contacts' histories in one query.
      resolve: (c, _args, ctx) => ctx.loaders.consentOfContact.load(c.id),
    }),
  }),
});

builder.queryField('contacts', (t) =>
  t.connection({
    type: Contact,
    description:
      'The customers, newest activity first (their newest message the caller may see, else when they were recorded); erased customers are not listed. ' +
      'Agents see only customers of conversations they may see. `search` matches part of the name (case and accents ignored), a name within a typo ' +
      '(3 or more letters), part of the phone number (3 or more digits, typed with or without +, spaces or dashes), or the whole BSUID.',
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { search: t.arg.string() },
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<ListedContact[]>>(
        { args, defaultSize: 25, maxSize: 100, toCursor: (c: ListedContact) => encodeCursor(c.activityAt, c.id) },
        ({ before, after, limit, inverted }) => {
          const search = args.search ? contactSearch(args.search.slice(0, 200)) : null;
          return inTenant(ctx, (tx) => listContacts(tx, { search, after: decodeCursor(after), before: decodeCursor(before), limit, inverted }));
        },
      ),
  }),
);

const RecordContactOptInInput = builder.inputType('RecordContactOptInInput', {
  fields: (t) => ({
    contactId: t.globalID({ description: 'A known contact. Exactly one of contactId and waId.' }),
    waId: t.string({ description: 'A phone number in international form; a contact is created when it is new (an import).' }),
    basis: t.field({ type: OptInBasis, required: true, description: 'TEMPLATE_OPT_IN or IMPORT.' }),
    statement: t.string({ description: 'The basis in words, up to 500 characters: required for IMPORT.' }),
  }),
});

builder.mutationField('recordContactOptIn', (t) =>
  t.field({
    type: Contact,
    description: 'Records how a customer opted in outside WhatsApp, so business-initiated templates may be sent to them (admins, ADMIN keys).',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: { types: COMMON_ERRORS, dataField: { name: 'contact' } },
    grantScopes: [MUTATION_RESULT],
    args: { input: t.arg({ type: RecordContactOptInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = tenantViewer(ctx);
      if (input.contactId && (input.contactId.typename !== 'Contact' || !isUuid(input.contactId.id))) throw new NotFoundError('Contact');
      const result = await inTenant(ctx, (tx) =>
        recordContactOptIn(tx, viewer.tenantId, {
          contactId: input.contactId?.id ?? null,
          waId: input.waId ?? null,
          basis: input.basis,
          statement: input.statement ?? null,
          actor: viewer.kind === 'user' ? { kind: 'user', id: viewer.userId } : { kind: 'api_key', id: viewer.apiKeyId },
          address: ctx.http?.clientAddress ?? null,
        }),
      );
      const contact = await ctx.loaders.contacts.load(unwrap(result, 'Contact'));
      if (!contact) throw new NotFoundError('Contact');
      return contact;
    },
  }),
);
