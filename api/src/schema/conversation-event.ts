// ConversationEvent: what happens in a conversation that is not a message — a customer opening the chat
// for the first time (a welcome request automation can answer), calls, answers to call-permission
// requests. Shown in the conversation's timeline beside its messages.
import { filter, pipe } from 'graphql-yoga';
import { tenantViewer } from '../context.ts';
import type { ConversationEventRecord } from '../conversations/conversation-event-repository.ts';
import { EVENTS_PER_CONVERSATION } from '../loaders.ts';
import { loadAhead } from '../pubsub/load-ahead.ts';
import { builder } from './builder.ts';
import { Conversation } from './conversation.ts';

const READ = { role: 'agent', keyScope: 'read' } as const;

const ConversationEventKind = builder.enumType('ConversationEventKind', {
  description:
    'WELCOME_REQUEST: the customer opened the chat for the first time (Meta\'s request_welcome); CALL: a WhatsApp call; CALL_PERMISSION: the customer answered a request to let the business call them.',
  values: { WELCOME_REQUEST: { value: 'welcome_request' }, CALL: { value: 'call' }, CALL_PERMISSION: { value: 'call_permission' } } as const,
});

const CallDirection = builder.enumType('CallDirection', {
  values: { USER_INITIATED: { value: 'user_initiated' }, BUSINESS_INITIATED: { value: 'business_initiated' } } as const,
});

const CALL_STATUSES = ['connecting', 'ringing', 'accepted', 'rejected', 'completed', 'failed', 'unknown'] as const;
type CallStatusValue = (typeof CALL_STATUSES)[number];
const CallStatus = builder.enumType('CallStatus', {
  description: 'Where a call got to: CONNECTING or RINGING, then ACCEPTED, and its outcome REJECTED, COMPLETED or FAILED.',
  values: Object.fromEntries(CALL_STATUSES.map((s) => [s.toUpperCase(), { value: s }])) as Record<string, { value: CallStatusValue }>,
});

const CallPermissionResponse = builder.enumType('CallPermissionResponse', {
  values: { ACCEPT: { value: 'accept' }, REJECT: { value: 'reject' }, UNKNOWN: { value: 'unknown' } } as const,
});

type Details = Record<string, unknown>;
const text = (d: Details, key: string) => (typeof d[key] === 'string' ? (d[key] as string) : null);
const time = (d: Details, key: string) => (typeof d[key] === 'string' ? new Date(d[key] as string) : null);

const CallDetails = builder.objectRef<Details>('CallDetails').implement({
  authScopes: READ,
  fields: (t) => ({
    direction: t.field({ type: CallDirection, resolve: (d) => (text(d, 'direction') === 'business_initiated' ? 'business_initiated' : 'user_initiated') }),
    status: t.field({
      type: CallStatus,
      resolve: (d) => (CALL_STATUSES as readonly string[]).includes(text(d, 'status') ?? '') ? (text(d, 'status') as CallStatusValue) : 'unknown',
    }),
    durationSeconds: t.int({ nullable: true, description: 'How long the call lasted, once it ended.', resolve: (d) => (typeof d.durationSeconds === 'number' ? d.durationSeconds : null) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => time(d, 'startedAt') }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => time(d, 'endedAt') }),
  }),
});

const CallPermissionDetails = builder.objectRef<Details>('CallPermissionDetails').implement({
  authScopes: READ,
  fields: (t) => ({
    response: t.field({
      type: CallPermissionResponse,
      resolve: (d) => (text(d, 'response') === 'accept' ? 'accept' : text(d, 'response') === 'reject' ? 'reject' : 'unknown'),
    }),
    permanent: t.boolean({ resolve: (d) => d.permanent === true }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, description: 'When a temporary permission ends.', resolve: (d) => time(d, 'expiresAt') }),
  }),
});

export const ConversationEvent = builder.objectRef<ConversationEventRecord>('ConversationEvent').implement({
  description: 'Something that happened in a conversation and is not a message.',
  authScopes: READ,
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ConversationEventKind, resolve: (e) => e.kind }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    handled: t.boolean({ description: 'A welcome request automation has answered.', resolve: (e) => e.handledAt !== null }),
    call: t.field({ type: CallDetails, nullable: true, resolve: (e) => (e.kind === 'call' ? e.details : null) }),
    callPermission: t.field({ type: CallPermissionDetails, nullable: true, resolve: (e) => (e.kind === 'call_permission' ? e.details : null) }),
    conversation: t.field({
      type: Conversation,
      nullable: true,
      resolve: (e, _args, ctx) => ctx.loaders.conversations.load(e.conversationId),
    }),
  }),
});

builder.objectField(Conversation, 'events', (t) =>
  t.field({
    type: [ConversationEvent],
    description: `Events of this conversation, oldest first (at most ${EVENTS_PER_CONVERSATION}).`,
    // Batched: a page of conversations asks for all their events in one query.
    resolve: (c, _args, ctx) => ctx.loaders.eventsOfConversation.load(c.id),
  }),
);

builder.subscriptionField('conversationEventChanged', (t) =>
  t.field({
    type: ConversationEvent,
    description: "A conversation event of the caller's tenant was added or changed (a call moved on).",
    authScopes: READ,
    args: { conversationId: t.arg.globalID({ required: false, description: 'Only events of this conversation.' }) },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe('conversationEventChanged', tenantViewer(ctx).tenantId),
        filter((event) => !args.conversationId || event.conversationId === args.conversationId.id),
        loadAhead((event) => ctx.loaders.conversationEvents.load(event.id)),
        filter((event): event is ConversationEventRecord => event !== null),
      ),
    resolve: (event) => event,
  }),
);
