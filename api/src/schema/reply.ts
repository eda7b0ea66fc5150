// Reply: what agents (and partners with the send scope) send to a customer — text, media, interactive
// buttons and lists, reactions and approved templates. Each returns the queued message, or a typed
// refusal (window closed, opted out, restricted, disconnected…) that nothing was sent.
import { GraphQLError } from 'graphql';
import { actorId, inTenant, tenantViewer, type Context } from '../context.ts';
import { composeButtons, composeList, composeMedia, composeReaction, composeTemplate, composeText } from '../messaging/compose.ts';
import { queueReply, type Draft } from '../messaging/send-reply.ts';
import { builder } from './builder.ts';
import { MUTATION_RESULT } from './read-rules.ts';
import { Conversation } from './conversation.ts';
import { NotFoundError, SendRefusedError, TemplateParameterError, ValidationError } from './errors.ts';
import { Message } from './message.ts';
import { Media, MediaKind } from './media.ts';
import { mediaKindOfType } from '../media/media-types.ts';
import { User } from './user.ts';

const sendErrors = { types: [SendRefusedError, TemplateParameterError, ValidationError, NotFoundError], dataField: { name: 'reply' } };

async function send(ctx: Context, conversationId: string, draft: Draft, replyToId?: string | null, uploadId: string | null = null) {
  const viewer = tenantViewer(ctx);
  let replyTo: string | null = null;
  if (replyToId) {
    const quoted = await ctx.loaders.messages.load(replyToId);
    if (!quoted?.wamid || quoted.conversationId !== conversationId) throw new ValidationError('replyToMessageId', 'Replies can quote a sent or received message of this conversation.');
    replyTo = quoted.wamid;
  }
  const result = await inTenant(ctx, (tx) => queueReply(tx, { tenantId: viewer.tenantId, conversationId, authorId: actorId(viewer), replyTo, draft, uploadId }));
  if (!result.ok) {
    if (result.kind === 'not_found') throw new NotFoundError('Conversation');
    if (result.kind === 'refused') throw new SendRefusedError(result.refusal.code, result.refusal.message);
    if (result.kind === 'template') throw new TemplateParameterError(result.parameter, result.message);
    throw new ValidationError(result.field, result.message);
  }
  const message = await ctx.loaders.messages.load(result.messageId);
  if (!message) throw new GraphQLError('Message vanished');
  return message;
}

const ReplyButton = builder.inputType('ReplyButtonInput', {
  fields: (t) => ({ id: t.string({ required: true }), title: t.string({ required: true, description: '≤ 20 characters.' }) }),
});
const ListRow = builder.inputType('ListRowInput', {
  fields: (t) => ({ id: t.string({ required: true }), title: t.string({ required: true }), description: t.string() }),
});
const ListSection = builder.inputType('ListSectionInput', {
  fields: (t) => ({ title: t.string(), rows: t.field({ type: [ListRow], required: true }) }),
});
const TemplateParameter = builder.inputType('TemplateParameterInput', {
  fields: (t) => ({ name: t.string({ description: 'For templates with named parameters.' }), value: t.string({ required: true }) }),
});

// The message sent is readable in the answer (a SEND key's own message); its conversation is not, without READ.
const common = { authScopes: { role: 'agent' as const, keyScope: 'send' as const }, errors: sendErrors, grantScopes: [MUTATION_RESULT] };

builder.mutationFields((t) => ({
  sendText: t.field({
    ...common,
    type: Message,
    description: 'Free-form text, inside the 24-hour window; optionally quoting a message.',
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      body: t.arg.string({ required: true }),
      previewUrl: t.arg.boolean({ defaultValue: false }),
      replyToMessageId: t.arg.globalID({ for: Message }),
    },
    resolve: (_root, args, ctx) =>
      send(ctx, args.conversationId.id, { kind: 'free', compose: () => composeText(args.body, !!args.previewUrl) }, args.replyToMessageId?.id),
  }),
  sendMedia: t.field({
    ...common,
    type: Message,
    description: 'An image, video, audio, document or sticker: by https link, by a file uploaded with uploadMedia, or by Meta media id.',
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      kind: t.arg({ type: MediaKind, required: true }),
      link: t.arg.string(),
      uploadedMediaId: t.arg.globalID({ for: Media, description: 'A file uploaded with uploadMedia; it goes to Meta when the message is sent.' }),
      mediaId: t.arg.string({ description: "Meta's id of media uploaded for this number." }),
      caption: t.arg.string(),
      filename: t.arg.string({ description: 'Documents: the name the customer sees (an upload keeps its own name unless this is given).' }),
      replyToMessageId: t.arg.globalID({ for: Message }),
    },
    resolve: async (_root, args, ctx) => {
      const uploadId = args.uploadedMediaId?.id ?? null;
      let filename = args.filename;
      if (uploadId) {
        // Only the caller's own uploads are visible to agents (RLS); a sent message's copy is not an upload.
        const upload = await ctx.loaders.media.load(uploadId);
        if (!upload || upload.messageId !== null || upload.status !== 'stored') throw new ValidationError('uploadedMediaId', 'No uploaded file has this id; upload it with uploadMedia first.');
        const kind = mediaKindOfType(upload.mimeType ?? '');
        if (kind !== args.kind) throw new ValidationError('kind', `The uploaded file (${upload.mimeType}) can only be sent as ${kind?.toUpperCase() ?? 'nothing WhatsApp accepts'}.`);
        filename ??= upload.filename;
      }
      const input = { link: args.link, mediaId: args.mediaId, uploaded: uploadId !== null, caption: args.caption, filename };
      return send(ctx, args.conversationId.id, { kind: 'free', compose: () => composeMedia(args.kind, input) }, args.replyToMessageId?.id, uploadId);
    },
  }),
  sendButtons: t.field({
    ...common,
    type: Message,
    description: 'Up to three reply buttons under a body text.',
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      body: t.arg.string({ required: true }),
      header: t.arg.string(),
      footer: t.arg.string(),
      buttons: t.arg({ type: [ReplyButton], required: true }),
    },
    resolve: (_root, args, ctx) => send(ctx, args.conversationId.id, { kind: 'free', compose: () => composeButtons(args) }),
  }),
  sendList: t.field({
    ...common,
    type: Message,
    description: 'A list of up to ten rows in up to ten sections, opened by a button.',
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      body: t.arg.string({ required: true }),
      button: t.arg.string({ required: true }),
      header: t.arg.string(),
      footer: t.arg.string(),
      sections: t.arg({ type: [ListSection], required: true }),
    },
    resolve: (_root, args, ctx) => send(ctx, args.conversationId.id, { kind: 'free', compose: () => composeList(args) }),
  }),
  sendReaction: t.field({
    ...common,
    type: Message,
    description: 'Reacts to a message with an emoji; an empty emoji removes the reaction.',
    args: { messageId: t.arg.globalID({ required: true, for: Message }), emoji: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const target = await ctx.loaders.messages.load(args.messageId.id);
      if (!target?.wamid) throw new NotFoundError('Message');
      return send(ctx, target.conversationId, { kind: 'free', compose: () => composeReaction(target.wamid!, args.emoji) });
    },
  }),
  sendTemplate: t.field({
    ...common,
    type: Message,
    description: 'An approved template, the only kind of message allowed outside the 24-hour window.',
    args: {
      conversationId: t.arg.globalID({ required: true, for: Conversation }),
      name: t.arg.string({ required: true }),
      language: t.arg.string({ required: true }),
      parameters: t.arg({ type: [TemplateParameter], defaultValue: [] }),
    },
    resolve: (_root, args, ctx) =>
      send(ctx, args.conversationId.id, {
        kind: 'template',
        name: args.name,
        language: args.language,
        compose: (template) => composeTemplate(template, args.parameters ?? []),
      }),
  }),
}));

builder.objectField(Message, 'author', (t) =>
  t.field({
    type: User,
    nullable: true,
    description: 'Who wrote an outbound message (null for partners, automations and inbound messages).',
    resolve: (m, _args, ctx) => (m.authorId ? ctx.loaders.users.load(m.authorId) : null),
  }),
);
