// Message: one WhatsApp message in either direction, with the typed content of each kind Meta sends.
import { filter, pipe } from 'graphql-yoga';
import type { MessageRecord } from '../messaging/message-repository.ts';
import { tenantViewer } from '../context.ts';
import { loadAhead } from '../pubsub/load-ahead.ts';
import { builder } from './builder.ts';
import { IN_ROW } from './query-cost.ts';
import { CONVERSATION_DATA, PART_OF_MESSAGE } from './read-rules.ts';

export const Message = builder.objectRef<MessageRecord>('Message');

const MessageDirection = builder.enumType('MessageDirection', {
  values: { INBOUND: { value: 'inbound' }, OUTBOUND: { value: 'outbound' } } as const,
});

const MessageSource = builder.enumType('MessageSource', {
  description:
    'Who wrote a message: the CUSTOMER; SWITCHBOARD (an agent, an API key or automation); or the BUSINESS_APP — sent from the WhatsApp Business app on a number that also uses the Cloud API (coexistence), reported to us as an echo.',
  values: { CUSTOMER: { value: 'customer' }, SWITCHBOARD: { value: 'switchboard' }, BUSINESS_APP: { value: 'business_app' } } as const,
});

function sourceOf(m: MessageRecord): 'customer' | 'switchboard' | 'business_app' {
  if (m.direction === 'inbound') return 'customer';
  return m.origin === 'business_app' ? 'business_app' : 'switchboard';
}

const MessageVersion = builder.objectRef<{ text: string | null; at: string }>('MessageVersion').implement({
  description: 'An earlier version of an edited message.',
  authScopes: { role: 'agent', keyScope: 'read' },
  fields: (t) => ({
    text: t.string({ nullable: true, resolve: (v) => v.text }),
    at: t.field({ type: 'DateTime', description: 'When this version was written.', resolve: (v) => new Date(v.at) }),
  }),
});

const MESSAGE_TYPES = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button',
  'reaction', 'order', 'system', 'unsupported', 'unknown', 'template'] as const;

const MessageType = builder.enumType('MessageType', {
  values: Object.fromEntries(MESSAGE_TYPES.map((t) => [t.toUpperCase(), { value: t }])) as Record<string, { value: string }>,
});

export const MessageStatus = builder.enumType('MessageStatus', {
  description: 'Inbound messages are RECEIVED; outbound ones move PENDING → SENT → DELIVERED → READ (→ PLAYED), or FAILED.',
  values: Object.fromEntries(
    ['received', 'pending', 'sent', 'delivered', 'read', 'played', 'failed'].map((s) => [s.toUpperCase(), { value: s }]),
  ) as Record<string, { value: string }>,
});

interface ErrorShape {
  code: number | null;
  title: string | null;
  message: string | null;
  details: string | null;
}

const MetaError = builder.objectRef<ErrorShape>('MetaError').implement({
  authScopes: PART_OF_MESSAGE,
  description: 'An error as reported by Meta (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).',
  fields: (t) => ({
    code: t.int({ nullable: true, resolve: (e) => e.code }),
    title: t.exposeString('title', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    details: t.exposeString('details', { nullable: true }),
  }),
});

type Content = Record<string, unknown>;
const s = (c: Content, key: string) => (typeof c[key] === 'string' ? (c[key] as string) : null);
const b = (c: Content, key: string) => (typeof c[key] === 'boolean' ? (c[key] as boolean) : null);
const n = (c: Content, key: string) => (typeof c[key] === 'number' ? (c[key] as number) : null);
const list = (c: Content, key: string) => (Array.isArray(c[key]) ? (c[key] as Content[]) : []);

const TextContent = builder.objectRef<Content>('TextContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({ body: t.string({ resolve: (c) => s(c, 'body') ?? '' }) }),
});

export const MediaContent = builder.objectRef<Content>('MediaContent').implement({
  authScopes: PART_OF_MESSAGE,
  description: 'Image, video, audio, document or sticker. `media` is the file as Switchboard keeps it.',
  fields: (t) => ({
    mediaId: t.string({ resolve: (c) => s(c, 'mediaId') ?? '' }),
    mimeType: t.string({ nullable: true, resolve: (c) => s(c, 'mimeType') }),
    sha256: t.string({ nullable: true, resolve: (c) => s(c, 'sha256') }),
    caption: t.string({ nullable: true, resolve: (c) => s(c, 'caption') }),
    filename: t.string({ nullable: true, resolve: (c) => s(c, 'filename') }),
    voice: t.boolean({ nullable: true, description: 'Audio recorded as a voice note.', resolve: (c) => b(c, 'voice') }),
    animated: t.boolean({ nullable: true, description: 'Animated sticker.', resolve: (c) => b(c, 'animated') }),
  }),
});

const LocationContent = builder.objectRef<Content>('LocationContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    latitude: t.float({ resolve: (c) => n(c, 'latitude') ?? 0 }),
    longitude: t.float({ resolve: (c) => n(c, 'longitude') ?? 0 }),
    name: t.string({ nullable: true, resolve: (c) => s(c, 'name') }),
    address: t.string({ nullable: true, resolve: (c) => s(c, 'address') }),
    url: t.string({ nullable: true, resolve: (c) => s(c, 'url') }),
  }),
});

const SharedContactPhone = builder.objectRef<Content>('SharedContactPhone').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    phone: t.string({ nullable: true, resolve: (c) => s(c, 'phone') }),
    waId: t.string({ nullable: true, resolve: (c) => s(c, 'waId') }),
    type: t.string({ nullable: true, resolve: (c) => s(c, 'type') }),
  }),
});

const SharedContact = builder.objectRef<Content>('SharedContact').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    formattedName: t.string({ nullable: true, resolve: (c) => s(c, 'formattedName') }),
    phones: t.field({ type: [SharedContactPhone], complexity: IN_ROW, resolve: (c) => list(c, 'phones') }),
  }),
});

const ContactsContent = builder.objectRef<Content>('ContactsContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({ contacts: t.field({ type: [SharedContact], complexity: IN_ROW, resolve: (c) => list(c, 'contacts') }) }),
});

const InteractiveReplyContent = builder.objectRef<Content>('InteractiveReplyContent').implement({
  authScopes: PART_OF_MESSAGE,
  description: 'The customer tapped a reply button or picked a list row.',
  fields: (t) => ({
    kind: t.string({ description: 'button_reply, list_reply or nfm_reply.', resolve: (c) => s(c, 'kind') ?? 'unknown' }),
    replyId: t.string({ resolve: (c) => s(c, 'replyId') ?? '' }),
    title: t.string({ resolve: (c) => s(c, 'title') ?? '' }),
    description: t.string({ nullable: true, resolve: (c) => s(c, 'description') }),
  }),
});

const ButtonReplyContent = builder.objectRef<Content>('ButtonReplyContent').implement({
  authScopes: PART_OF_MESSAGE,
  description: 'A quick-reply button of a template message.',
  fields: (t) => ({
    payload: t.string({ nullable: true, resolve: (c) => s(c, 'payload') }),
    // Nullable like OrderContent.text, so one selection can ask both members of the union for `text`.
    text: t.string({ nullable: true, resolve: (c) => s(c, 'text') }),
  }),
});

const ReactionContent = builder.objectRef<Content>('ReactionContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    emoji: t.string({ nullable: true, resolve: (c) => s(c, 'emoji') }),
    removed: t.boolean({ description: 'The customer took the reaction back.', resolve: (c) => b(c, 'removed') ?? false }),
    reactedToWamid: t.string({ resolve: (c) => s(c, 'reactedToWamid') ?? '' }),
  }),
});

const OrderContent = builder.objectRef<Content>('OrderContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    catalogId: t.string({ nullable: true, resolve: (c) => s(c, 'catalogId') }),
    itemCount: t.int({ resolve: (c) => list(c, 'items').length }),
    text: t.string({ nullable: true, resolve: (c) => s(c, 'text') }),
  }),
});

const SystemContent = builder.objectRef<Content>('SystemContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({
    // Non-null like TextContent.body, so one selection can ask both members of the union for `body`.
    body: t.string({ resolve: (c) => s(c, 'body') ?? '' }),
    systemType: t.string({ nullable: true, resolve: (c) => s(c, 'systemType') }),
  }),
});

const UnsupportedContent = builder.objectRef<Content>('UnsupportedContent').implement({
  authScopes: PART_OF_MESSAGE,
  fields: (t) => ({ errors: t.field({ type: [MetaError], complexity: IN_ROW, resolve: (c) => list(c, 'errors') as unknown as ErrorShape[] }) }),
});

const contentTypeOf: Record<string, typeof TextContent> = {
  text: TextContent,
  image: MediaContent,
  video: MediaContent,
  audio: MediaContent,
  document: MediaContent,
  sticker: MediaContent,
  location: LocationContent,
  contacts: ContactsContent,
  interactive: InteractiveReplyContent,
  button: ButtonReplyContent,
  reaction: ReactionContent,
  order: OrderContent,
  system: SystemContent,
  unsupported: UnsupportedContent,
};

/** The message type travels with its content so the union can tell its members apart. */
const KIND = Symbol('message type');
/** And the message id, for content fields that look up more about their message (its media). */
const MESSAGE_ID = Symbol('message id');
type TaggedContent = Content & { [KIND]: string; [MESSAGE_ID]: string };

export function messageIdOf(content: Content): string {
  return (content as TaggedContent)[MESSAGE_ID];
}

const MessageContent = builder.unionType('MessageContent', {
  types: [
    TextContent, MediaContent, LocationContent, ContactsContent, InteractiveReplyContent, ButtonReplyContent,
    ReactionContent, OrderContent, SystemContent, UnsupportedContent,
  ],
  resolveType: (content) => contentTypeOf[(content as TaggedContent)[KIND]]!,
});

const MessageContext = builder.objectRef<Content>('MessageContext').implement({
  authScopes: PART_OF_MESSAGE,
  description: 'Marks a reply (the message it quotes) or a forward.',
  fields: (t) => ({
    from: t.string({ nullable: true, resolve: (c) => s(c, 'from') }),
    repliedToWamid: t.string({ nullable: true, resolve: (c) => s(c, 'repliedToWamid') }),
    forwarded: t.boolean({ resolve: (c) => b(c, 'forwarded') ?? false }),
    frequentlyForwarded: t.boolean({ resolve: (c) => b(c, 'frequentlyForwarded') ?? false }),
  }),
});

builder.node(Message, {
  authScopes: CONVERSATION_DATA,
  id: { resolve: (m) => m.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.messages.load(id)),
  fields: (t) => ({
    wamid: t.string({ nullable: true, description: "Meta's message id; null until an outbound message is accepted.", resolve: (m) => m.wamid }),
    direction: t.field({ type: MessageDirection, resolve: (m) => m.direction as 'inbound' | 'outbound' }),
    source: t.field({ type: MessageSource, description: 'Who wrote it. BUSINESS_APP messages never open the 24-hour window.', resolve: sourceOf }),
    edited: t.boolean({
      description: 'Its author edited it (the customer, or the business in the WhatsApp Business app); `previousVersions` holds what it said before.',
      resolve: (m) => m.editedAt !== null,
    }),
    editedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.editedAt }),
    previousVersions: t.field({
      type: [MessageVersion],
      complexity: IN_ROW,
      description: 'Earlier versions of an edited message, oldest first. Empty once the customer deleted the message.',
      resolve: (m) => m.previousVersions,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When its author deleted the message for everyone (the customer, or the business in the WhatsApp Business app for BUSINESS_APP messages). Its text, content and file are removed then.',
      resolve: (m) => m.revokedAt,
    }),
    type: t.field({ type: MessageType, resolve: (m) => m.type }),
    text: t.exposeString('text', { nullable: true, description: 'Body, caption or reply title: what a preview shows.' }),
    status: t.field({ type: MessageStatus, resolve: (m) => m.status }),
    failureReason: t.exposeString('failureReason', {
      nullable: true,
      description: 'Why an outbound message failed, in words an agent can act on.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the message was sent, by Meta\'s clock for inbound messages.', resolve: (m) => m.sentAt }),
    receivedAt: t.field({ type: 'DateTime', description: 'When Switchboard stored it.', resolve: (m) => m.createdAt }),
    content: t.field({
      type: MessageContent,
      nullable: true,
      resolve: (m): TaggedContent | null => (contentTypeOf[m.type] ? { ...m.content, [KIND]: m.type, [MESSAGE_ID]: m.id } : null),
    }),
    context: t.field({ type: MessageContext, nullable: true, resolve: (m) => m.context }),
    errors: t.field({ type: [MetaError], complexity: IN_ROW, resolve: (m) => m.errors as unknown as ErrorShape[] }),
  }),
});

builder.subscriptionField('messageChanged', (t) =>
  t.field({
    type: Message,
    description: "A message of the caller's tenant was created or changed status.",
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { conversationId: t.arg.globalID({ required: false, description: 'Only messages of this conversation.' }) },
    // Each event is read as the caller may see it (RLS hides agents' messages of other departments; those
    // events are dropped). A burst's reads run together and are delivered in order (loadAhead).
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe('messageChanged', tenantViewer(ctx).tenantId),
        filter((event) => !args.conversationId || event.conversationId === args.conversationId.id),
        loadAhead((event) => ctx.loaders.messages.load(event.id)),
        filter((message): message is MessageRecord => message !== null),
      ),
    resolve: (message) => message,
  }),
);
