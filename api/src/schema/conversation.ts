// Conversation: a customer's thread with one business number, its 24-hour window and its messages.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { Department } from './department.ts';
import { User } from './user.ts';
import { withTenant } from '@switchboard/db/tenant';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import { loadAhead } from '../pubsub/load-ahead.ts';
import { assignConversation, moveToDepartment, setConversationStatus, unassignConversation } from '../routing/assignment-repository.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { findConversationsByIds, listConversations, type ConversationMetricsFilter, type ConversationRecord } from '../conversations/conversation-repository.ts';
import type { MessageRecord } from '../messaging/message-repository.ts';
import { builder } from './builder.ts';
import { CONVERSATION_DATA, MUTATION_RESULT } from './read-rules.ts';
import { Contact } from './contact.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { Message } from './message.ts';

export const Conversation = builder.objectRef<ConversationRecord>('Conversation');

const ConversationStatus = builder.enumType('ConversationStatus', {
  values: { BOT: { value: 'bot' }, OPEN: { value: 'open' }, PENDING: { value: 'pending' }, RESOLVED: { value: 'resolved' } } as const,
});

const AssigneeFilter = builder.enumType('AssigneeFilter', {
  values: { ANY: { value: 'any' }, MINE: { value: 'mine' }, UNASSIGNED: { value: 'unassigned' } } as const,
});

const ConversationFilter = builder.inputType('ConversationFilter', {
  fields: (t) => ({
    status: t.field({ type: [ConversationStatus], required: false, description: 'Only conversations in these states.' }),
    assignee: t.field({ type: AssigneeFilter, required: false, description: 'Only mine, only unassigned, or anyone (default).' }),
    departmentId: t.globalID({ required: false, description: 'Only conversations in this department.' }),
    agentId: t.globalID({ required: false, description: 'Only conversations this person holds.' }),
    phoneNumberId: t.globalID({ required: false, description: 'Only conversations with this business number.' }),
    openedAfter: t.field({ type: 'DateTime', required: false, description: 'Opened at or after this time (as analytics count openings).' }),
    openedBefore: t.field({ type: 'DateTime', required: false, description: 'Opened before this time.' }),
    resolvedAfter: t.field({ type: 'DateTime', required: false, description: 'Resolved at or after this time.' }),
    resolvedBefore: t.field({ type: 'DateTime', required: false, description: 'Resolved before this time.' }),
    firstResponseAbove: t.float({ required: false, description: 'First response time above this many seconds.' }),
    firstResponseBelow: t.float({ required: false, description: 'First response time below this many seconds.' }),
  }),
});

const MAX_PAGE = 100;
const NO_ONE = '00000000-0000-0000-0000-000000000000';
const uuidOrNone = (id: string) => (isUuid(id) ? id : NO_ONE);

/** The analytics drill-down part of the filter (docs/analytics.md). */
function metricsFilter(f: typeof ConversationFilter.$inferInput): ConversationMetricsFilter {
  return {
    openedAfter: f.openedAfter,
    openedBefore: f.openedBefore,
    resolvedAfter: f.resolvedAfter,
    resolvedBefore: f.resolvedBefore,
    firstResponseAbove: f.firstResponseAbove,
    firstResponseBelow: f.firstResponseBelow,
    phoneNumberUuid: f.phoneNumberId ? uuidOrNone(f.phoneNumberId.id) : null,
  };
}

/** Opening conversations by id: a manager's or admin's look outside their departments is audited. */
function openedOutside(ctx: Context, ids: readonly string[]): Promise<void> {
  return ctx.services.outsideReads.opened(ctx.viewer, ids.filter(isUuid), ctx.http?.clientAddress ?? null);
}

builder.node(Conversation, {
  authScopes: CONVERSATION_DATA,
  description: "A customer's thread with one of the business's WhatsApp numbers.",
  id: { resolve: (c) => c.id },
  // node(id) and nodes(ids) open conversations: audited beside the read when outside the reader's departments.
  loadMany: async (ids, ctx) => {
    const [conversations] = await Promise.all([Promise.all(ids.map((id) => ctx.loaders.conversations.load(id))), openedOutside(ctx, ids)]);
    return conversations;
  },
  fields: (t) => ({
    status: t.field({ type: ConversationStatus, resolve: (c) => c.status as 'bot' | 'open' | 'pending' | 'resolved' }),
    assignee: t.field({
      type: User,
      nullable: true,
      description: 'Who is working on it; null while it waits in its department queue.',
      resolve: (c, _args, ctx) => (c.assigneeId ? ctx.loaders.users.load(c.assigneeId) : null),
    }),
    assignedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.assignedAt }),
    department: t.field({
      type: Department,
      nullable: true,
      resolve: (c, _args, ctx) => (c.departmentId ? ctx.loaders.departments.load(c.departmentId) : null),
    }),
    waitingSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it joined the queue; the longest waiting is served first.',
      resolve: (c) => c.waitingSince,
    }),
    contact: t.field({
      type: Contact,
      // Nullable so that a caller who may see a conversation but not its customer (a SEND key, in the
      // answer of a mutation) gets the rest of it.
      nullable: true,
      resolve: (c) => ({
        id: c.contactId,
        displayName: c.contactDisplayName,
        waId: c.contactWaId,
        userId: c.contactUserId,
        parentUserId: null,
        optedOut: c.contactOptedOut,
        marketingOptOut: c.contactMarketingOptOut,
        restricted: c.contactRestricted,
        consentWithdrawnAt: c.contactConsentWithdrawnAt,
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
      nullable: true,
      description: 'Oldest first; use `last` to read the newest.',
      resolve: (c, args, ctx) =>
        resolveCursorConnection<Promise<MessageRecord[]>>(
          { args, defaultSize: 50, maxSize: MAX_PAGE, toCursor: (m: MessageRecord) => encodeCursor(m.sentAt, m.seq) },
          ({ before, after, limit, inverted }) => {
            // Batched: an inbox page's conversations read their messages in one statement.
            return ctx.loaders.messagePages.load({ conversationId: c.id, after: decodeCursor(after), before: decodeCursor(before), limit, inverted });
          },
        ),
    }),
  }),
});

builder.objectField(Message, 'conversation', (t) =>
  t.field({
    type: Conversation,
    // Nullable: a SEND key reads the message it sent, but not the conversation (null and FORBIDDEN).
    nullable: true,
    resolve: async (m, _args, ctx) => {
      const conversation = await ctx.loaders.conversations.load(m.conversationId);
      if (!conversation) throw new GraphQLError('Conversation not found');
      return conversation;
    },
  }),
);

/** A page of conversations, newest activity first, in the caller's scope. */
function conversationPage(ctx: Context, args: { before?: string | null; after?: string | null; filter?: typeof ConversationFilter.$inferInput | null }, contactId: string | null) {
  return resolveCursorConnection<Promise<ConversationRecord[]>>(
    { args, defaultSize: 25, maxSize: MAX_PAGE, toCursor: (c: ConversationRecord) => encodeCursor(c.lastMessageAt, c.id) },
    ({ before, after, limit, inverted }) => {
      const viewer = tenantViewer(ctx);
      const assignee = args.filter?.assignee ?? 'any';
      const page = {
        statuses: args.filter?.status ?? null,
        assignee: args.filter?.agentId ? uuidOrNone(args.filter.agentId.id) : assignee === 'mine' ? (viewer.kind === 'user' ? viewer.userId : '00000000-0000-0000-0000-000000000000') : assignee === 'unassigned' ? ('unassigned' as const) : null,
        departmentId: args.filter?.departmentId?.id ?? null,
        contactId,
        metrics: args.filter ? metricsFilter(args.filter) : undefined,
        after: decodeCursor(after),
        before: decodeCursor(before),
        limit,
        inverted,
      };
      return inTenant(ctx, (tx) => listConversations(tx, page));
    },
  );
}

builder.objectField(Contact, 'conversations', (t) =>
  t.connection({
    type: Conversation,
    // Nullable: an ADMIN key reads the contact it recorded an opt-in for, not their conversations.
    nullable: true,
    authScopes: { role: 'agent', keyScope: 'read' },
    description: "The customer's conversations the caller may see (agents: their departments' and their own), newest activity first.",
    resolve: (c, args, ctx) => conversationPage(ctx, args, c.id),
  }),
);

builder.queryFields((t) => ({
  conversations: t.connection({
    type: Conversation,
    description: 'Most recent activity first. Agents see their departments\' conversations and their own.',
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { filter: t.arg({ type: ConversationFilter, required: false }) },
    resolve: (_root, args, ctx) => conversationPage(ctx, args, null),
  }),
  conversation: t.field({
    type: Conversation,
    nullable: true,
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      if (id.typename !== 'Conversation') return null;
      const [conversation] = await Promise.all([ctx.loaders.conversations.load(id.id), openedOutside(ctx, [id.id])]);
      return conversation;
    },
  }),
}));

builder.subscriptionField('conversationChanged', (t) =>
  t.field({
    type: Conversation,
    description: "A conversation of the caller's tenant was opened or changed (new message, status, window, assignment).",
    authScopes: { role: 'agent', keyScope: 'read' },
    // Each event is read as the caller may see it: agents hear only conversations they may see (RLS
    // decides, through the loader); the others' events are dropped. A burst's reads run together.
    subscribe: (_root, _args, ctx) =>
      pipe(
        ctx.pubsub.subscribe('conversationChanged', tenantViewer(ctx).tenantId),
        loadAhead((event) => ctx.loaders.conversations.load(event.id)),
        filter((conversation): conversation is ConversationRecord => conversation !== null),
      ),
    resolve: (conversation) => conversation,
  }),
);

const conversationPayload = { types: COMMON_ERRORS, dataField: { name: 'conversation' } } as const;

/** After a change that may free someone's capacity, waiting conversations are handed out. */
async function reload(ctx: Context, id: string, serve: (string | null)[] = []): Promise<ConversationRecord> {
  const departments = serve.filter((d): d is string => !!d);
  if (departments.length > 0) await serveQueues(ctx.sql, tenantViewer(ctx).tenantId, departments);
  ctx.loaders.conversations.clear(id);
  const conversation = await ctx.loaders.conversations.load(id);
  if (!conversation) throw new NotFoundError('Conversation');
  return conversation;
}

const assignmentRefusal: Record<string, () => Error> = {
  conversation_not_found: () => new NotFoundError('Conversation'),
  assignee_not_found: () => new NotFoundError('User'),
  assignee_inactive: () => new ConflictError('ASSIGNEE_INACTIVE', 'That person is deactivated.'),
  resolved: () => new ConflictError('RESOLVED', 'The conversation is resolved.'),
  over_capacity: () => new ConflictError('OVER_CAPACITY', 'That person is at capacity; a manager can assign anyway.'),
};

builder.mutationFields((t) => ({
  assignConversation: t.field({
    type: Conversation,
    description:
      'Gives a conversation to a person (a transfer when someone holds it). Agents may take conversations for ' +
      'themselves; managers assign anyone, and may exceed capacity with `force`.',
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      userId: t.arg.globalID({ required: true, for: User }),
      force: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const manager = viewer.kind === 'apiKey' || viewer.role !== 'agent';
      if (!manager && args.userId.id !== viewer.userId) throw new ConflictError('FORBIDDEN', 'Agents can only take conversations for themselves.');
      const outcome = await inTenant(ctx, async (tx) => {
        const result = await assignConversation(tx, { conversationId: args.conversationId.id, assigneeId: args.userId.id, force: manager && !!args.force });
        if (result.ok) {
          const users = [args.userId.id, ...(result.previousAssigneeId ? [result.previousAssigneeId] : [])];
          await notifyChanges(tx, viewer.tenantId, { conversationIds: [args.conversationId.id], userIds: users });
        }
        return result;
      });
      if (!outcome.ok) throw assignmentRefusal[outcome.reason]!();
      // The previous holder has room again.
      return reload(ctx, args.conversationId.id, outcome.previousAssigneeId ? [outcome.departmentId] : []);
    },
  }),
  unassignConversation: t.field({
    type: Conversation,
    description: 'Puts a conversation back in its department queue.',
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: { conversationId: t.arg.globalID({ required: true, for: Conversation }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const row = await inTenant(ctx, async (tx) => {
        const result = await unassignConversation(tx, args.conversationId.id);
        if (result) await notifyChanges(tx, viewer.tenantId, { conversationIds: [args.conversationId.id] });
        return result;
      });
      if (!row) throw new NotFoundError('Conversation');
      return reload(ctx, args.conversationId.id, [row.departmentId]);
    },
  }),
  transferConversation: t.field({
    type: Conversation,
    description: "Moves a conversation to another department's queue, unassigned.",
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      departmentId: t.arg.globalID({ required: true, for: Department }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const before = await ctx.loaders.conversations.load(args.conversationId.id);
      if (!before) throw new NotFoundError('Conversation');
      // The caller may see it (checked above, in their scope). The move runs in the tenant's scope: an
      // agent hands work to other departments' queues, which agents' row policy would refuse to write.
      const moved = await withTenant(ctx.sql, viewer.tenantId, async (tx) => {
        const ok = await moveToDepartment(tx, args.conversationId.id, args.departmentId.id);
        if (ok) await notifyChanges(tx, viewer.tenantId, { conversationIds: [args.conversationId.id] });
        return ok;
      });
      if (!moved) throw new NotFoundError('Department');
      await serveQueues(ctx.sql, viewer.tenantId, [args.departmentId.id, before.departmentId].filter((d): d is string => !!d));
      // As it is now, also for an agent who no longer sees it (handed to a department they are not in).
      const [after] = await withTenant(ctx.sql, viewer.tenantId, (tx) => findConversationsByIds(tx, [args.conversationId.id]));
      if (!after) throw new NotFoundError('Conversation');
      return after;
    },
  }),
  setConversationStatus: t.field({
    type: Conversation,
    description: 'open ⇄ pending, or resolved (final: the next customer message opens a new conversation).',
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      status: t.arg({ type: ConversationStatus, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.status === 'bot') throw new ValidationError('status', 'Only a bot flow can hand a conversation to a bot.');
      const status = args.status;
      const viewer = tenantViewer(ctx);
      const change = await inTenant(ctx, async (tx) => {
        const result = await setConversationStatus(tx, args.conversationId.id, status);
        if (result.ok) {
          await notifyChanges(tx, viewer.tenantId, {
            conversationIds: [args.conversationId.id],
            userIds: result.assigneeId ? [result.assigneeId] : [],
          });
        }
        return result;
      });
      if (!change.ok) throw new ConflictError('RESOLVED', 'The conversation is resolved or was not found.');
      return reload(ctx, args.conversationId.id, status === 'resolved' || status === 'open' ? [change.departmentId] : []);
    },
  }),
}));
