// Query.search: customers and messages the caller may see, with where the words matched (docs/api.md,
// "Contacts and search"). The matching is in search/search.ts and the SQL beside it.
import { GraphQLError } from 'graphql';
import type { ListedContact } from '../contacts/contact-repository.ts';
import { inTenant } from '../context.ts';
import { searchTenant, MAX_QUERY_LENGTH, type SearchHit, type SearchPosition } from '../search/search.ts';
import type { Highlight, Snippet as SnippetShape } from '../search/snippet.ts';
import { builder } from './builder.ts';
import { Contact } from './contact.ts';
import { Conversation } from './conversation.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { Message } from './message.ts';
import { CALLER, READERS } from './read-rules.ts';

const TextRange = builder.objectRef<Highlight>('TextRange').implement({
  authScopes: CALLER,
  description: 'A part of a text: from `start` up to, not including, `end`, in UTF-16 code units (JavaScript string indices).',
  fields: (t) => ({
    start: t.exposeInt('start'),
    end: t.exposeInt('end'),
  }),
});

const Snippet = builder.objectRef<SnippetShape>('Snippet').implement({
  authScopes: CALLER,
  description:
    'A piece of text and where the search matched in it. Plain text, never markup: show it escaped and mark the ranges. ' +
    'A long message is cut around its first match, with … where text was left out.',
  fields: (t) => ({
    text: t.exposeString('text'),
    highlights: t.field({ type: [TextRange], description: 'Sorted, not overlapping.', complexity: { field: 1, multiplier: 1 }, resolve: (s) => s.highlights }),
  }),
});

type MessageHit = Extract<SearchHit, { kind: 'message' }>;
type ContactHit = Extract<SearchHit, { kind: 'contact' }>;

const MessageSearchHit = builder.objectRef<MessageHit>('MessageSearchHit').implement({
  authScopes: READERS,
  description: 'A message whose words match.',
  fields: (t) => ({
    message: t.field({ type: Message, nullable: true, resolve: (h, _args, ctx) => ctx.loaders.messages.load(h.id) }),
    conversation: t.field({ type: Conversation, nullable: true, resolve: (h, _args, ctx) => ctx.loaders.conversations.load(h.conversationId) }),
    snippet: t.field({ type: Snippet, resolve: (h) => h.snippet }),
  }),
});

const ContactSearchHit = builder.objectRef<ContactHit>('ContactSearchHit').implement({
  authScopes: READERS,
  description: 'A customer whose name, phone number or BSUID matches.',
  fields: (t) => ({
    contact: t.field({ type: Contact, resolve: (h): ListedContact => h.contact }),
    snippet: t.field({ type: Snippet, description: 'The name, phone number (+ and digits) or BSUID that matched.', resolve: (h) => h.snippet }),
  }),
});

const SearchResult = builder.unionType('SearchResult', {
  types: [ContactSearchHit, MessageSearchHit],
  resolveType: (hit) => (hit.kind === 'contact' ? ContactSearchHit : MessageSearchHit),
});

const MAX_PAGE = 50;
const DEFAULT_PAGE = 20;
const KINDS = { c: 'contact', m: 'message' } as const;

function encodeSearchCursor(hit: SearchHit): string {
  return `${hit.kind === 'contact' ? 'c' : 'm'}.${encodeCursor(hit.at, hit.id)}`;
}

function decodeSearchCursor(cursor: string | null | undefined): SearchPosition | null {
  if (!cursor) return null;
  const kind = KINDS[cursor.slice(0, 2) === 'c.' ? 'c' : cursor.slice(0, 2) === 'm.' ? 'm' : ('' as never)];
  if (!kind) throw new GraphQLError('Invalid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
  const position = decodeCursor(cursor.slice(2))!;
  return { kind, ...position };
}

const SearchConnection = builder.connectionObject({ type: SearchResult, name: 'SearchConnection' });

builder.queryField('search', (t) =>
  t.field({
    type: SearchConnection,
    description:
      `Customers whose name (case and accents ignored, or within a typo), phone number (3 or more digits) or BSUID matches, newest activity first; ` +
      `then messages whose words match (the words as written, without case or accents, and Spanish and English word forms: "cancelación" finds "cancelar"; ` +
      `"a phrase", -without and or work as in web search), newest first. Only what the caller may see: agents, their departments' and their own conversations. ` +
      `The first ${MAX_QUERY_LENGTH} characters of \`query\` count; ${DEFAULT_PAGE} hits a page unless \`first\` says otherwise, at most ${MAX_PAGE}.`,
    authScopes: { role: 'agent', keyScope: 'read' },
    args: { query: t.arg.string({ required: true }), first: t.arg.int(), after: t.arg.string() },
    complexity: (args) => ({ field: 1, multiplier: Math.min(Math.max(args.first ?? DEFAULT_PAGE, 0), MAX_PAGE) }),
    resolve: async (_root, args, ctx) => {
      const limit = Math.min(Math.max(args.first ?? DEFAULT_PAGE, 0), MAX_PAGE);
      const after = decodeSearchCursor(args.after);
      const { hits, hasNextPage } = limit === 0 ? { hits: [], hasNextPage: false } : await inTenant(ctx, (tx) => searchTenant(tx, { query: args.query, after, limit }));
      const edges = hits.map((hit) => ({ cursor: encodeSearchCursor(hit), node: hit }));
      return {
        edges,
        pageInfo: { hasNextPage, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  }),
);
