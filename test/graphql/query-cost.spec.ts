// What one operation may ask for is priced before it runs: lists multiply what is selected under them by
// their page size, and an operation over its caller's budget is refused with COST_LIMIT_EXCEEDED before
// any resolver runs — over HTTP and on a socket. People's budget fits every dashboard operation; keys'
// is smaller. And a page of conversations reads its conversations' messages in one statement.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  execute,
  getNamedType,
  isEnumType,
  isNonNullType,
  parse,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { schema } from '@switchboard/api/schema/index';
import { createLoaders } from '@switchboard/api/loaders';
import { loadConfig } from '@switchboard/api/config';
import { priceOperation } from '@switchboard/api/http/cost-limit';
import { connect, type Sql } from '@switchboard/db/connect';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import { graphql, ingest, logIn, resetDatabase, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

// conversations(first: 100) → messages(first: 100) → conversation → messages(first: 100): a million rows.
const NESTED = `{ conversations(first: 100) { edges { node { messages(first: 100) { edges { node {
  conversation { messages(first: 100) { edges { node { id text } } } } } } } } } } }`;
// 20 conversations × 20 messages: 1,681, well inside both budgets.
const INBOX_WITH_MESSAGES = '{ conversations(first: 20) { edges { node { id messages(first: 20) { edges { node { id text } } } } } } }';
// 100 × 100 messages: 40,401, inside people's budget (100,000), over keys' (25,000).
const WIDE = '{ conversations(first: 100) { edges { node { id messages(first: 100) { edges { node { id text } } } } } } }';

const budgets = loadConfig({}, { databaseUrl: 'postgres://unused', ingestSecret: 'unused', vaultKey: 'unused' }).queryLimits;

let api: RunningApi;
let tenantId: string;
let key: string;
let person: { cookie: string };

beforeAll(async () => {
  api = await startApi({ instanceId: 'query-cost', runJobs: false });
});
afterAll(() => api?.stop());
beforeEach(async () => {
  await resetDatabase();
  ({ tenantId, apiKey: key } = await seedDevTenant());
  await seedUser(tenantId, { email: 'mia@acme.test', role: 'manager' });
  person = await logIn(api.url, 'mia@acme.test', 'correct horse battery');
});

const codesOf = (errors: { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

/** One operation on its own graphql-ws socket; answers its first result, or the errors it was refused with. */
async function overSocket(credentials: Exclude<Credentials, null>, query: string): Promise<{ data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const cookie = typeof credentials === 'string' ? null : credentials.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const client = createClient({
    url: api.wsUrl,
    webSocketImpl: CookieWebSocket,
    connectionParams: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe({ query }, {
        next: (value) => resolve(value as never),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => resolve({}),
      });
    });
  } finally {
    await client.dispose();
  }
}

describe('the cost limit', () => {
  it('refuses the nested query over HTTP before running it, for a person and for a key, naming its cost and the budget', async () => {
    for (const [who, budget] of [[person, budgets.sessionCostBudget], [key, budgets.keyCostBudget]] as const) {
      const started = performance.now();
      const res = await graphql(api.url, who, NESTED);
      const elapsed = performance.now() - started;
      expect(res.data).toBeUndefined();
      expect(codesOf(res.errors)).toEqual(['COST_LIMIT_EXCEEDED']);
      const { cost } = res.errors![0]!.extensions as { cost: number; budget: number };
      expect(res.errors![0]!.extensions).toMatchObject({ budget });
      expect(cost).toBeGreaterThan(1_000_000);
      expect(res.errors![0]!.message).toBe(`This operation costs ${cost}, over the budget of ${budget}: ask for smaller pages or fewer nested lists.`);
      expect(elapsed).toBeLessThan(1_000);
    }
  });

  it('refuses it on a socket too, as a query and as a subscription', async () => {
    const query = await overSocket(key, NESTED);
    expect(query.data ?? undefined).toBeUndefined();
    expect(codesOf(query.errors)).toEqual(['COST_LIMIT_EXCEEDED']);

    const subscription = await overSocket(person, `subscription { conversationChanged { messages(first: 100) { edges { node {
      conversation { messages(first: 100) { edges { node { conversation { messages(first: 100) { edges { node { id } } } } } } } } } } } } }`);
    expect(codesOf(subscription.errors)).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  it('gives keys a smaller budget than people', async () => {
    expect(budgets.keyCostBudget).toBeLessThan(budgets.sessionCostBudget);
    const asPerson = await graphql(api.url, person, WIDE);
    expect(asPerson.errors).toBeUndefined();
    expect(asPerson.data).toEqual({ conversations: { edges: [] } });
    const asKey = await graphql(api.url, key, WIDE);
    expect(codesOf(asKey.errors)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(asKey.errors![0]!.extensions).toMatchObject({ cost: 40_401, budget: budgets.keyCostBudget });
    expect((await graphql(api.url, key, INBOX_WITH_MESSAGES)).errors).toBeUndefined();
  });

  it('lets a person run every operation the dashboard sends, at the largest page it may ask for', async () => {
    const viewer = { kind: 'user', tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000002', role: 'agent', sessionId: 'x' };
    const priced = (await dashboardOperations()).map((document) => {
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
      const errors = priceOperation({
        schema,
        document,
        contextValue: { viewer },
        variableValues: sampleVariables(operation),
        budget: budgets.sessionCostBudget,
      });
      return { operation: operation.name?.value, errors: errors.map((e) => e.message) };
    });
    expect(priced.length).toBeGreaterThan(20);
    expect(priced.filter((p) => p.errors.length > 0)).toEqual([]);
  });
});

/**
 * The dashboard's operations as it sends them (every `operations.ts` kept beside a route, component or
 * module under web/src), read by Node itself: the dashboard's modules belong to its own build, which
 * this package's does not load.
 */
async function dashboardOperations(): Promise<DocumentNode[]> {
  const web = fileURLToPath(new URL('../../web/', import.meta.url));
  const script =
    "const { globSync } = await import('node:fs');" +
    "const { stringifyDocument } = await import('@urql/core');" +
    "const modules = globSync(['src/routes/**/operations.ts', 'src/lib/**/operations.ts']);" +
    "if (modules.length < 2) throw new Error('no colocated operations found');" +
    "const all = (await Promise.all(modules.map((file) => import('./' + file)))).flatMap((module) => module.operations ?? []);" +
    'process.stdout.write(JSON.stringify(all.map(stringifyDocument)));';
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: web });
  return (JSON.parse(stdout) as string[]).map((source) => parse(source));
}

/** Values for an operation's required variables: page sizes at 100 (the most any page serves), any valid value else. */
function sampleVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type || !isNonNullType(type)) continue;
    const named = getNamedType(type);
    const name = definition.variable.name.value;
    values[name] =
      named.name === 'Int' ? 100
      : named.name === 'ID' ? Buffer.from('Conversation:00000000-0000-0000-0000-000000000000').toString('base64')
      : named.name === 'Boolean' ? true
      : named.name === 'File' ? new File(['x'], 'x.txt', { type: 'text/plain' })
      : isEnumType(named) ? named.getValues()[0]!.name
      : 'x';
  }
  return values;
}

describe('Conversation.messages', () => {
  let counted: Sql;
  const statements: string[] = [];

  beforeAll(() => {
    counted = connect(inject('appUrl'), { max: 2, applicationName: 'query-cost-counted', onQuery: (query) => statements.push(query) });
  });
  afterAll(() => counted?.end());

  it('reads the messages of a page of 20 conversations in one statement, not one per conversation', async () => {
    const customers: Sender[] = Array.from({ length: 20 }, (_, i) => ({ name: `Customer ${i}`, waId: `1555000${String(i).padStart(4, '0')}` }));
    const now = Math.floor(Date.now() / 1000);
    const bodies = customers.map((from, i) =>
      devTenantBody(from, [0, 1].map((n) => textMessage({
        from,
        id: wamidFromParts({ counterpart: from.waId!, direction: 'inbound', hex: `COST${String(i * 2 + n).padStart(16, '0')}` }),
        timestamp: String(now - 60 + n),
        body: `Message ${n} from ${i}`,
      }))),
    );
    expect((await ingest(api.url, bodies)).results.every((r) => r.status === 'committed')).toBe(true);

    statements.length = 0;
    const result = await execute({
      schema,
      document: parse(INBOX_WITH_MESSAGES),
      contextValue: {
        viewer: { kind: 'apiKey', tenantId, apiKeyId: '00000000-0000-0000-0000-000000000000', scopes: ['read'] },
        sql: counted,
        loaders: createLoaders(counted, { tenantId }),
      },
    });
    expect(result.errors).toBeUndefined();
    const conversations = (result.data as any).conversations.edges;
    expect(conversations).toHaveLength(20);
    expect(conversations.map((c: any) => c.node.messages.edges.map((e: any) => e.node.text)).sort()).toEqual(
      customers.map((_, i) => [`Message 0 from ${i}`, `Message 1 from ${i}`]).sort(),
    );

    const messageReads = statements.filter((s) => /\bfrom\s+messages\b/i.test(s));
    const transactions = statements.filter((s) => /set_config\('app\.tenant_id'/.test(s));
    expect(messageReads).toHaveLength(1);
    // One for the conversations, one for all their messages.
    expect(transactions).toHaveLength(2);
  });
});

describe('Contact.consentHistory', () => {
  let counted: Sql;
  const statements: string[] = [];

  beforeAll(() => {
    counted = connect(inject('appUrl'), { max: 2, applicationName: 'query-cost-consent', onQuery: (query) => statements.push(query) });
  });
  afterAll(() => counted?.end());

  const HISTORIES = (first: number) => `{ conversations(first: ${first}) { edges { node { contact { consentHistory { kind at source } } } } } }`;

  it('is priced at the events it may hold per contact, so a key cannot ask for every history of a large page', () => {
    const viewer = { kind: 'apiKey', tenantId: '00000000-0000-0000-0000-000000000001', apiKeyId: '00000000-0000-0000-0000-000000000002', scopes: ['read'] };
    const price = (query: string) => priceOperation({ schema, document: parse(query), contextValue: { viewer }, variableValues: {}, budget: budgets.keyCostBudget });
    // 100 conversations × (edges, node, contact, consentHistory + 100 events × 3 fields): over a key's budget.
    const [over] = price(HISTORIES(100));
    expect(over?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 1 + 100 * (1 + 1 + 1 + 1 + 100 * 3) });
    expect(price(HISTORIES(20))).toEqual([]);
  });

  it('reads the histories of a page of 20 conversations in one statement', async () => {
    const customers: Sender[] = Array.from({ length: 20 }, (_, i) => ({ name: `Customer ${i}`, waId: `1555100${String(i).padStart(4, '0')}` }));
    const now = Math.floor(Date.now() / 1000);
    const bodies = customers.map((from, i) =>
      devTenantBody(from, [textMessage({ from, id: wamidFromParts({ counterpart: from.waId!, direction: 'inbound', hex: `CONS${String(i).padStart(16, '0')}` }), timestamp: String(now - 60), body: 'hi' })]),
    );
    expect((await ingest(api.url, bodies)).results.every((r) => r.status === 'committed')).toBe(true);

    statements.length = 0;
    const result = await execute({
      schema,
      document: parse(HISTORIES(20)),
      contextValue: {
        viewer: { kind: 'apiKey', tenantId, apiKeyId: '00000000-0000-0000-0000-000000000000', scopes: ['read'] },
        sql: counted,
        loaders: createLoaders(counted, { tenantId }),
      },
    });
    expect(result.errors).toBeUndefined();
    const histories = (result.data as any).conversations.edges.map((e: any) => e.node.contact.consentHistory.map((h: any) => h.kind));
    expect(histories).toEqual(customers.map(() => ['OPTED_IN']));
    expect(statements.filter((s) => /\bfrom\s+consent_events\b/i.test(s))).toHaveLength(1);
  });
});
