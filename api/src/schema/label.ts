// Label: a coloured tag people put on conversations to sort their work. Managers keep the tenant's
// list; agents (and keys that may send) put labels on and take them off the conversations they see.
import { encodeGlobalID, resolveOffsetConnection } from '@pothos/plugin-relay';
import { auditSource, recordChange } from '../audit/audit-source.ts';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import type { ConversationRecord } from '../conversations/conversation-repository.ts';
import {
  addConversationLabel,
  conversationsWithLabel,
  deleteLabel,
  insertLabel,
  listLabels,
  removeConversationLabel,
  updateLabel,
  type LabelRecord,
  type LabelWrite,
  type LabellingOutcome,
} from '../conversations/label-repository.ts';
import { isUuid } from '../loaders.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import { builder } from './builder.ts';
import { TENANT_CALLERS, MUTATION_RESULT } from './read-rules.ts';
import { Conversation } from './conversation.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError } from './errors.ts';

export const Label = builder.objectRef<LabelRecord>('Label');

const MAX_NAME = 50;
const COLOR = /^#[0-9a-f]{6}$/i;

builder.node(Label, {
  authScopes: TENANT_CALLERS,
  description: 'A coloured tag for conversations; names are unique in the tenant regardless of case.',
  id: { resolve: (l) => l.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.labels.load(id)),
  fields: (t) => ({
    name: t.exposeString('name'),
    color: t.exposeString('color', { description: 'As `#rrggbb`.' }),
  }),
});

function parseName(name: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > MAX_NAME) throw new ValidationError('name', `A label name needs 1 to ${MAX_NAME} characters.`);
  return trimmed;
}

function parseColor(color: string): string {
  if (!COLOR.test(color)) throw new ValidationError('color', 'Give the colour as #rrggbb, for example #22c55e.');
  return color.toLowerCase();
}

function labelOrError(result: LabelWrite): LabelRecord {
  if (result.ok) return result.label;
  if (result.reason === 'name_taken') throw new ConflictError('CONFLICT', 'A label with that name already exists.');
  throw new NotFoundError('Label');
}

function requireId(id: string, what: string): string {
  if (!isUuid(id)) throw new NotFoundError(what);
  return id;
}

/** Adds or removes a label and announces the change to live views of the conversation. */
async function relabel(
  ctx: Context,
  args: { conversationId: { id: string }; labelId: { id: string } },
  change: typeof addConversationLabel | typeof removeConversationLabel,
): Promise<ConversationRecord> {
  const viewer = tenantViewer(ctx);
  const conversationId = requireId(args.conversationId.id, 'Conversation');
  const labelId = requireId(args.labelId.id, 'Label');
  const outcome: LabellingOutcome = await inTenant(ctx, async (tx) => {
    const result = await change(tx, conversationId, labelId);
    if (result.ok && result.changed) await notifyChanges(tx, viewer.tenantId, { conversationIds: [conversationId] });
    return result;
  });
  if (!outcome.ok) throw new NotFoundError(outcome.missing === 'label' ? 'Label' : 'Conversation');
  const conversation = await ctx.loaders.conversations.load(conversationId);
  if (!conversation) throw new NotFoundError('Conversation');
  return conversation;
}

builder.objectField(Conversation, 'labels', (t) =>
  t.field({ type: [Label], description: 'By name.', resolve: (c, _args, ctx) => ctx.loaders.labelsOfConversation.load(c.id) }),
);

builder.queryFields((t) => ({
  labels: t.connection({
    type: Label,
    description: "The tenant's labels, by name.",
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 100, maxSize: 500 }, (page) => inTenant(ctx, (tx) => listLabels(tx, page))),
  }),
}));

const labelPayload = { types: COMMON_ERRORS, dataField: { name: 'label' } } as const;
const conversationPayload = { types: COMMON_ERRORS, dataField: { name: 'conversation' } } as const;
const manage = { role: 'manager', keyScope: 'admin' } as const;

builder.mutationFields((t) => ({
  createLabel: t.field({
    type: Label,
    description: `Adds a label (name of 1 to ${MAX_NAME} characters, unique regardless of case; colour #rrggbb, grey if omitted).`,
    authScopes: manage,
    errors: labelPayload,
    args: { name: t.arg.string({ required: true }), color: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const label = { name: parseName(args.name), color: args.color == null ? null : parseColor(args.color) };
      const inserted = await inTenant(ctx, async (tx) => {
        const result = await insertLabel(tx, label);
        if (result.ok) await recordChange(tx, auditSource(ctx), { action: 'label.created', target: { kind: 'label', id: result.label.id } });
        return result;
      });
      return labelOrError(inserted);
    },
  }),
  updateLabel: t.field({
    type: Label,
    description: 'Renames or recolours a label; conversations carrying it show the change.',
    authScopes: manage,
    errors: labelPayload,
    args: { id: t.arg.globalID({ required: true, for: Label }), name: t.arg.string(), color: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const id = requireId(args.id.id, 'Label');
      const patch = { name: args.name == null ? null : parseName(args.name), color: args.color == null ? null : parseColor(args.color) };
      const result = await inTenant(ctx, async (tx) => {
        const updated = await updateLabel(tx, id, patch);
        if (updated.ok) {
          const fields = Object.entries(patch).flatMap(([field, value]) => (value === null ? [] : [field]));
          await recordChange(tx, auditSource(ctx), { action: 'label.updated', target: { kind: 'label', id }, detail: { fields } });
        }
        if (updated.ok) await notifyChanges(tx, viewer.tenantId, { conversationIds: await conversationsWithLabel(tx, id) });
        return updated;
      });
      return labelOrError(result);
    },
  }),
  deleteLabel: t.field({
    type: 'ID',
    description: 'Deletes a label and takes it off every conversation. Answers the id of the deleted label.',
    authScopes: manage,
    errors: { types: COMMON_ERRORS, dataField: { name: 'deletedId' } },
    args: { id: t.arg.globalID({ required: true, for: Label }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const id = requireId(args.id.id, 'Label');
      const deleted = await inTenant(ctx, async (tx) => {
        const result = await deleteLabel(tx, id);
        if (result) await recordChange(tx, auditSource(ctx), { action: 'label.deleted', target: { kind: 'label', id }, detail: { unlabelled: result.conversationIds.length } });
        if (result) await notifyChanges(tx, viewer.tenantId, { conversationIds: result.conversationIds });
        return result;
      });
      if (!deleted) throw new NotFoundError('Label');
      return encodeGlobalID('Label', id);
    },
  }),
  labelConversation: t.field({
    type: Conversation,
    description: 'Puts a label on a conversation; labelling it again changes nothing.',
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: { conversationId: t.arg.globalID({ required: true, for: Conversation }), labelId: t.arg.globalID({ required: true, for: Label }) },
    resolve: (_root, args, ctx) => relabel(ctx, args, addConversationLabel),
  }),
  unlabelConversation: t.field({
    type: Conversation,
    description: 'Takes a label off a conversation; taking it off again changes nothing.',
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: conversationPayload,
    grantScopes: [MUTATION_RESULT],
    args: { conversationId: t.arg.globalID({ required: true, for: Conversation }), labelId: t.arg.globalID({ required: true, for: Label }) },
    resolve: (_root, args, ctx) => relabel(ctx, args, removeConversationLabel),
  }),
}));
