// CannedResponse: a saved reply an agent finds by shortcut or words and inserts into a message.
// Managers keep the list; everyone who works conversations can read and search it.
import { encodeGlobalID, resolveOffsetConnection } from '@pothos/plugin-relay';
import { auditSource, recordChange } from '../audit/audit-source.ts';
import { actorId, inTenant, tenantViewer } from '../context.ts';
import { isUuid } from '../loaders.ts';
import {
  deleteCannedResponse,
  insertCannedResponse,
  listCannedResponses,
  updateCannedResponse,
  type CannedResponseRecord,
  type CannedResponseWrite,
} from '../messaging/canned-response-repository.ts';
import { builder } from './builder.ts';
import { READERS_AND_ADMIN_KEYS } from './read-rules.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError } from './errors.ts';

export const CannedResponse = builder.objectRef<CannedResponseRecord>('CannedResponse');

const SHORTCUT = /^[a-z0-9_-]{1,40}$/;
const MAX_TITLE = 120;
const MAX_BODY = 4096;

builder.node(CannedResponse, {
  authScopes: READERS_AND_ADMIN_KEYS,
  description: 'A saved reply, found by its shortcut (as in `/refund`) or by words in its title or body.',
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.cannedResponses.load(id)),
  fields: (t) => ({
    shortcut: t.exposeString('shortcut'),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updatedAt }),
  }),
});

function parseShortcut(shortcut: string): string {
  const trimmed = shortcut.trim();
  if (!SHORTCUT.test(trimmed)) {
    throw new ValidationError('shortcut', 'A shortcut is 1 to 40 lowercase letters, digits, - or _.');
  }
  return trimmed;
}

function parseText(field: 'title' | 'body', value: string, max: number): string {
  const trimmed = value.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > max) throw new ValidationError(field, `The ${field} needs 1 to ${max} characters.`);
  return trimmed;
}

function cannedResponseOrError(result: CannedResponseWrite): CannedResponseRecord {
  if (result.ok) return result.cannedResponse;
  if (result.reason === 'shortcut_taken') throw new ConflictError('CONFLICT', 'Another canned response already has that shortcut.');
  throw new NotFoundError('Canned response');
}

builder.queryFields((t) => ({
  cannedResponses: t.connection({
    type: CannedResponse,
    description:
      'By shortcut. `search` matches the start of a shortcut (a leading `/` is ignored), or text anywhere in the title or body, ignoring case.',
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { search: t.arg.string() },
    resolve: (_root, args, ctx) => {
      const search = args.search?.trim().replace(/^\//, '') || null;
      return resolveOffsetConnection({ args, defaultSize: 50, maxSize: 100 }, (page) =>
        inTenant(ctx, (tx) => listCannedResponses(tx, { search, ...page })),
      );
    },
  }),
}));

const payload = { types: COMMON_ERRORS, dataField: { name: 'cannedResponse' } } as const;
const manage = { role: 'manager', keyScope: 'admin' } as const;

builder.mutationFields((t) => ({
  createCannedResponse: t.field({
    type: CannedResponse,
    description: `Saves a reply: shortcut ${SHORTCUT.source} (unique), title up to ${MAX_TITLE} and body up to ${MAX_BODY} characters.`,
    authScopes: manage,
    errors: payload,
    args: { shortcut: t.arg.string({ required: true }), title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = {
        shortcut: parseShortcut(args.shortcut),
        title: parseText('title', args.title, MAX_TITLE),
        body: parseText('body', args.body, MAX_BODY),
        createdBy: actorId(tenantViewer(ctx)),
      };
      const inserted = await inTenant(ctx, async (tx) => {
        const result = await insertCannedResponse(tx, input);
        if (result.ok) await recordChange(tx, auditSource(ctx), { action: 'canned_response.created', target: { kind: 'canned_response', id: result.cannedResponse.id } });
        return result;
      });
      return cannedResponseOrError(inserted);
    },
  }),
  updateCannedResponse: t.field({
    type: CannedResponse,
    description: 'Changes what is given; the rest stays.',
    authScopes: manage,
    errors: payload,
    args: {
      id: t.arg.globalID({ required: true, for: CannedResponse }),
      shortcut: t.arg.string(),
      title: t.arg.string(),
      body: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      if (!isUuid(args.id.id)) throw new NotFoundError('Canned response');
      const patch = {
        shortcut: args.shortcut == null ? null : parseShortcut(args.shortcut),
        title: args.title == null ? null : parseText('title', args.title, MAX_TITLE),
        body: args.body == null ? null : parseText('body', args.body, MAX_BODY),
      };
      const updated = await inTenant(ctx, async (tx) => {
        const result = await updateCannedResponse(tx, args.id.id, patch);
        // Which fields changed, never what they say.
        const fields = Object.entries(patch).flatMap(([field, value]) => (value === null ? [] : [field]));
        if (result.ok) await recordChange(tx, auditSource(ctx), { action: 'canned_response.updated', target: { kind: 'canned_response', id: args.id.id }, detail: { fields } });
        return result;
      });
      return cannedResponseOrError(updated);
    },
  }),
  deleteCannedResponse: t.field({
    type: 'ID',
    description: 'Answers the id of the deleted canned response.',
    authScopes: manage,
    errors: { types: COMMON_ERRORS, dataField: { name: 'deletedId' } },
    args: { id: t.arg.globalID({ required: true, for: CannedResponse }) },
    resolve: async (_root, args, ctx) => {
      const id = args.id.id;
      const deleted =
        isUuid(id) &&
        (await inTenant(ctx, async (tx) => {
          const done = await deleteCannedResponse(tx, id);
          if (done) await recordChange(tx, auditSource(ctx), { action: 'canned_response.deleted', target: { kind: 'canned_response', id } });
          return done;
        }));
      if (!deleted) throw new NotFoundError('Canned response');
      return encodeGlobalID('CannedResponse', args.id.id);
    },
  }),
}));
