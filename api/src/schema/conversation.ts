// Conversation: a customer's thread with one business number, its 24-hour window and its messages.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { inTenant, tenantViewer } from '../context.ts';
import { listConversations, type ConversationRecord } from '../conversations/conversation-repository.ts';
import { listMessages, type MessageRecord } from '../messaging/message-repository.ts';
import { builder } from './builder.ts';
import { Contact } from './contact.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { Message } from './message.ts';

export const Conversation = builder.objectRef<ConversationRecord>('Conversation');

const ConversationStatus = builder.enumType('ConversationStatus', {
  values: { OPEN: { value: 'open' }, PENDING: { value: 'pending' }, RESOLVED: { value: 'resolved' } } as const,
});

const ConversationFilter = builder.inputType('ConversationFilter', {
  fields: (t) => ({
    status: t.field({ type: [ConversationStatus], required: false, description: 'Only conversations in these states.' }),
  }),
});

const MAX_PAGE = 100;

builder.node(Conversation, {
  description: "A customer's thread with one of the business's WhatsApp numbers.",
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.conversations.load(id)),
  fields: (t) => ({
    status: t.field({ type: ConversationStatus, resolve: (c) => c.status as 'open' | 'pending' | 'resolved' }),
    contact: t.field({
      type: Contact,
      resolve: (c) => ({
        id: c.contactId,
        displayName: c.contactDisplayName,
        waId: c.contactWaId,
        userId: c.contactUserId,
        parentUserId: null,
        optedOut: c.contactOptedOut,
        marketingOptOut: c.contactMarketingOptOut,
      }),
    }),
    phoneNumberId: t.exposeString('phoneNumberId', { description: "Meta's id of the business number the customer wrote to." }),
    windowExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'End of the 24-hour customer-service window; free-form replies are possible until then.',
      resolve: (c) => c.windowExpiresAt,
    }),
    windowOpen: t.boolean({ resolve: (c) => !!c.windowExpiresAt && c.windowExpiresAt.getTime() > Date.now() }),
    lastMessageAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.lastMessageAt }),
    lastInboundAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.lastInboundAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
    lastMessage: t.field({
      type: Message,
      nullable: true,
      resolve: (c, _args, ctx) => (c.lastMessageId ? ctx.loaders.messages.load(c.lastMessageId) : null),
    }),
    messages: t.connection({
      type: Message,
      description: 'Oldest first; use `last` to read the newest.',
      resolve: (c, args, ctx) =>
        resolveCursorConnection<Promise<MessageRecord[]>>(
          { args, defaultSize: 50, maxSize: MAX_PAGE, toCursor: (m: MessageRecord) => encodeCursor(m.sentAt, m.seq) },
          ({ before, after, limit, inverted }) => {
            const page = { conversationId: c.id, after: decodeCursor(after), before: decodeCursor(before), limit, inverted };
            return inTenant(ctx, (tx) => listMessages(tx, page));
          },
        ),
    }),
  }),
});

builder.objectField(Message, 'conversation', (t) =>
  t.field({
    type: Conversation,
    resolve: async (m, _args, ctx) => {
      const conversation = await ctx.loaders.conversations.load(m.conversationId);
      if (!conversation) throw new GraphQLError('Conversation not found');
      return conversation;
    },
  }),
);

builder.queryFields((t) => ({
  conversations: t.connection({
    type: Conversation,
    description: 'Most recent activity first.',
    args: { filter: t.arg({ type: ConversationFilter, required: false }) },
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<ConversationRecord[]>>(
        { args, defaultSize: 25, maxSize: MAX_PAGE, toCursor: (c: ConversationRecord) => encodeCursor(c.lastMessageAt, c.id) },
        ({ before, after, limit, inverted }) => {
          const page = { statuses: args.filter?.status ?? null, after: decodeCursor(after), before: decodeCursor(before), limit, inverted };
          return inTenant(ctx, (tx) => listConversations(tx, page));
        },
      ),
  }),
  conversation: t.field({
    type: Conversation,
    nullable: true,
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      return id.typename === 'Conversation' ? ctx.loaders.conversations.load(id.id) : null;
    },
  }),
}));

builder.subscriptionField('conversationChanged', (t) =>
  t.field({
    type: Conversation,
    description: "A conversation of the caller's tenant was opened or changed (new message, status, window).",
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('conversationChanged', tenantViewer(ctx).tenantId),
    resolve: async (event, _args, ctx) => {
      const conversation = await ctx.loaders.conversations.load(event.id);
      if (!conversation) throw new GraphQLError('Conversation no longer exists');
      return conversation;
    },
  }),
);
