// Note: a private remark people of the tenant leave on a conversation. Notes are never sent to the
// customer; whoever can see the conversation can read its notes.
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { actorId, inTenant, tenantViewer, type TenantViewer } from '../context.ts';
import { deleteNote, findNotesByIds, insertNote, listNotes, type NoteRecord } from '../conversations/note-repository.ts';
import { isUuid } from '../loaders.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import { builder } from './builder.ts';
import { CONVERSATION_DATA, MUTATION_RESULT } from './read-rules.ts';
import { Conversation } from './conversation.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { COMMON_ERRORS, NotFoundError, ValidationError } from './errors.ts';
import { User } from './user.ts';

export const Note = builder.objectRef<NoteRecord>('Note');

const MAX_BODY = 10_000;
const MAX_PAGE = 100;

builder.node(Note, {
  authScopes: CONVERSATION_DATA,
  description: 'A private remark on a conversation, for the people of the tenant only; never sent to the customer.',
  id: { resolve: (n) => n.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.notes.load(id)),
  fields: (t) => ({
    body: t.exposeString('body'),
    author: t.field({
      type: User,
      resolve: async (n, _args, ctx) => {
        const author = await ctx.loaders.users.load(n.authorId);
        if (!author) throw new GraphQLError('Author not found');
        return author;
      },
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
  }),
});

/** Authors may take back their own notes; managers and admins (and admin keys) any note. */
function mayDelete(viewer: TenantViewer, note: NoteRecord): boolean {
  return viewer.kind === 'apiKey' || viewer.role !== 'agent' || note.authorId === viewer.userId;
}

builder.objectField(Conversation, 'notes', (t) =>
  t.connection({
    type: Note,
    nullable: true,
    description: 'Private notes, oldest first; use `last` to read the newest.',
    resolve: (c, args, ctx) =>
      resolveCursorConnection<Promise<NoteRecord[]>>(
        { args, defaultSize: 50, maxSize: MAX_PAGE, toCursor: (n: NoteRecord) => encodeCursor(n.createdAt, n.id) },
        ({ before, after, limit, inverted }) => {
          const page = { conversationId: c.id, after: decodeCursor(after), before: decodeCursor(before), limit, inverted };
          return inTenant(ctx, (tx) => listNotes(tx, page));
        },
      ),
  }),
);

builder.mutationFields((t) => ({
  addNote: t.field({
    type: Note,
    description: `Leaves a private note on a conversation (1 to ${MAX_BODY} characters, trimmed). People only: a note has an author.`,
    authScopes: { person: true },
    errors: { types: COMMON_ERRORS, dataField: { name: 'note' } },
    grantScopes: [MUTATION_RESULT],
    args: { conversationId: t.arg.globalID({ required: true, for: Conversation }), body: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const body = args.body.trim();
      const length = [...body].length;
      if (length < 1 || length > MAX_BODY) throw new ValidationError('body', `A note needs 1 to ${MAX_BODY} characters.`);
      const conversationId = args.conversationId.id;
      const note = !isUuid(conversationId)
        ? null
        : await inTenant(ctx, async (tx) => {
            const inserted = await insertNote(tx, { conversationId, authorId: actorId(viewer)!, body });
            if (inserted) await notifyChanges(tx, viewer.tenantId, { conversationIds: [conversationId] });
            return inserted;
          });
      if (!note) throw new NotFoundError('Conversation');
      return note;
    },
  }),
  deleteNote: t.field({
    type: 'ID',
    description: 'Deletes a note: its author, or a manager or admin. Answers the id of the deleted note.',
    authScopes: { person: true, keyScope: 'admin' },
    errors: { types: COMMON_ERRORS, dataField: { name: 'deletedId' } },
    args: { id: t.arg.globalID({ required: true, for: Note }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const id = args.id.id;
      const deleted = !isUuid(id)
        ? null
        : await inTenant(ctx, async (tx) => {
            const [note] = await findNotesByIds(tx, [id]);
            if (!note) return null;
            if (!mayDelete(viewer, note)) {
              throw new GraphQLError('Only its author or a manager can delete this note.', { extensions: { code: 'FORBIDDEN' } });
            }
            await deleteNote(tx, id);
            await notifyChanges(tx, viewer.tenantId, { conversationIds: [note.conversationId] });
            return note;
          });
      if (!deleted) throw new NotFoundError('Note');
      return encodeGlobalID('Note', deleted.id);
    },
  }),
}));
