// The tenant wall, property-based: random sequences (1 to 8) of GraphQL operations, sent over real HTTP
// to a real api by a person (admin, manager, agent) or a key (READ, SEND, READ+SEND, ADMIN, all three) of
// tenant Alpha, with ids drawn from tenant Bravo, from Alpha itself and from garbage, never read or change
// anything of Bravo: no answer carries a Bravo id, uuid, phone number or name, and after every sequence
// Bravo's rows (count and content of every tenant table, its tenant row) are as before, and no Alpha row
// points at a Bravo id. Every root field that takes an id is in the generator, or excluded by name with a
// reason: the schema is walked, so a new field with an ID argument fails here until it is added.
// Reproduce a failure with FC_SEED and FC_PATH as printed; FC_RUNS sets how many random sequences run;
// WALL_DEBUG=<file> appends every operation and its answer to that file.
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@switchboard/api/schema/index';
import { eventually } from '../support/eventually.ts';
import { graphql, owner, resetDatabase, startApi, subscribe, type Credentials, type RunningApi } from '../support/stack.ts';
import { ACTORS, customerWrites, rowIdOf, seedWorld, typeOfGlobalId, type ActorName, type TenantWorld, type WorldSpec } from '../support/tenant-world.ts';

const ALPHA: WorldSpec = {
  marker: 'alpha',
  name: 'Alpha Coffee',
  wabaId: '310000000000001',
  phoneNumberId: '310000000000002',
  displayPhoneNumber: '15550001001',
  customers: [
    { name: 'Alpha Customer One', waId: '15551110001' },
    { name: 'Alpha Customer Two', waId: '15551110002' },
  ],
};
const BRAVO: WorldSpec = {
  marker: 'bravo',
  name: 'Bravo Books',
  wabaId: '420000000000001',
  phoneNumberId: '420000000000002',
  displayPhoneNumber: '447700900002',
  customers: [
    { name: 'Bravo Customer One', waId: '447700900101' },
    { name: 'Bravo Customer Two', waId: '447700900102' },
  ],
};

// ---- what the generator covers ------------------------------------------------------------------

type Overrides = Record<string, fc.Arbitrary<unknown>>;

/**
 * Every root field that takes an ID (anywhere in its arguments), with the argument values that are not
 * ids where the generic ones would be refused before the id is looked at.
 */
const COVERED: Record<string, Overrides> = {
  'Query.node': {},
  'Query.nodes': {},
  'Query.conversation': {},
  'Query.conversations': {},
  'Query.auditLog': {},
  'Query.phoneNumbers': {},
  // Figures aimed at Bravo's departments, people and numbers: Alpha's figures filtered to nothing.
  'Query.analytics': {},
  'Query.myAnalytics': {},
  'Mutation.exportAnalytics': {},
  'Mutation.addNote': {},
  'Mutation.approvePrivacyRequest': {},
  'Mutation.assignConversation': {},
  'Mutation.createPrivacyRequest': {},
  'Mutation.rejectPrivacyRequest': {},
  // Its tenant is named inside its input: that id is drawn like any other (argsOf).
  'Mutation.connectWhatsAppNumber': {
    input: fc.record({
      phoneNumberId: fc.constant('310000000000077'),
      wabaId: fc.constant('310000000000078'),
      pin: fc.constant('123456'),
      code: fc.constant('code-from-fb-login'),
    }),
  },
  // Operators only: every tenant caller is refused.
  'Mutation.closeTenant': {},
  'Mutation.reopenTenant': {},
  'Mutation.deactivateUser': {},
  'Mutation.deleteCannedResponse': {},
  'Mutation.deleteLabel': {},
  'Mutation.deleteNote': {},
  'Mutation.labelConversation': {},
  'Mutation.reactivateUser': {},
  'Mutation.recordContactOptIn': {},
  'Mutation.reissueInvitation': {},
  'Mutation.revokeApiKey': {},
  'Mutation.revokeSession': {},
  'Mutation.revokeUserSessions': {},
  'Mutation.sendButtons': { buttons: fc.constant([{ id: 'yes', title: 'Yes' }]) },
  'Mutation.sendList': { button: fc.constant('Pick one'), sections: fc.constant([{ title: 'Sizes', rows: [{ id: 'small', title: 'Small' }] }]) },
  'Mutation.sendMedia': { kind: fc.constant('DOCUMENT'), link: fc.option(fc.constant('https://files.alpha.invalid/menu.pdf'), { nil: undefined }) },
  'Mutation.sendReaction': { emoji: fc.constantFrom('👍', '') },
  'Mutation.sendTemplate': { name: fc.constantFrom('alpha_offer', 'bravo_offer'), language: fc.constant('en') },
  'Mutation.sendText': {},
  'Mutation.setConversationStatus': {},
  'Mutation.setDepartmentMember': {},
  'Mutation.transferConversation': {},
  'Mutation.unassignConversation': {},
  'Mutation.unlabelConversation': {},
  'Mutation.updateApiKeyScopes': {},
  'Mutation.updateCannedResponse': { title: fc.option(fc.constant('Wall check'), { nil: undefined }) },
  'Mutation.updateDepartment': { name: fc.option(fc.constant('Wall check'), { nil: undefined }) },
  'Mutation.updateLabel': { color: fc.option(fc.constant('#123456'), { nil: undefined }) },
  'Mutation.updatePhoneNumber': { throughputPerSecond: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }) },
  'Mutation.updateUser': { name: fc.option(fc.constant('Wall check'), { nil: undefined }) },
};
/** Root fields with ID arguments that the random sequences leave out, and why. */
const EXCLUDED: Record<string, string> = {
  'Subscription.messageChanged': 'a socket, not a request: the subscription journey at the end of this file',
  'Subscription.conversationEventChanged': 'a socket, not a request: the subscription journey at the end of this file',
};

/**
 * The kinds of ids in the pools: every Node type, and the two kinds with global ids that are not nodes.
 * A new Node type joins by itself, and the seeding check below asks for one of it in Bravo.
 */
const ID_TYPES = [...schema.getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType).map((t) => t.name), 'ApiKey', 'Session'].sort();

// ---- the schema, walked -------------------------------------------------------------------------

function carriesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => carriesId(f.type, seen));
}

function rootFields(): { name: string; field: GraphQLField<unknown, unknown>; root: 'Query' | 'Mutation' | 'Subscription' }[] {
  const roots = { Query: schema.getQueryType(), Mutation: schema.getMutationType(), Subscription: schema.getSubscriptionType() };
  return Object.entries(roots).flatMap(([root, type]) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ name: `${root}.${field.name}`, field, root: root as 'Query' | 'Mutation' | 'Subscription' })),
  );
}

const idBearing = () => rootFields().filter(({ field }) => field.args.some((a) => carriesId(a.type)));
const rootField = (name: string) => rootFields().find((f) => f.name === name)!;

/** LIST_SIZE in api/src/schema/query-cost.ts: what the api counts a list without paging as. */
const LIST_SIZE = 100;

/**
 * What to ask for under a type: every field without required arguments, objects `depth` levels down,
 * connections two at a time. Answers the selection and what the api's cost limit counts it as.
 */
function selection(type: GraphQLNamedType, depth: number, taken: Map<string, string> = new Map()): { text: string; cost: number } {
  if (isLeafType(type)) return { text: '', cost: 0 };
  if (isUnionType(type) || isInterfaceType(type)) {
    // Fragments share one answer object: a field name that means another type in another fragment is aliased.
    // The api's cost counts every fragment's fields, so their costs add up.
    const shared = new Map<string, string>();
    const parts = schema.getPossibleTypes(type).map((t) => ({ ...selection(t, depth, shared), name: t.name }));
    return { text: `{ __typename ${parts.map((p) => `... on ${p.name} ${p.text}`).join(' ')} }`, cost: parts.reduce((sum, p) => sum + p.cost, 0) };
  }
  const object = type as GraphQLObjectType;
  const parts = ['__typename'];
  let cost = 0;
  for (const field of Object.values(object.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (!isLeafType(named) && depth === 0) continue;
    const known = taken.get(field.name);
    const alias = known !== undefined && known !== String(field.type) ? `${field.name}${object.name}: ` : '';
    if (known === undefined) taken.set(field.name, String(field.type));
    if (isLeafType(named)) {
      parts.push(`${alias}${field.name}`);
      cost += 1;
    } else {
      const paged = field.args.some((a) => a.name === 'first');
      const inner = selection(named, depth - 1);
      const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
      parts.push(`${alias}${field.name}${paged ? '(first: 2)' : ''} ${inner.text}`);
      cost += 1 + (paged ? 2 : list ? LIST_SIZE : 1) * inner.cost;
    }
  }
  return { text: `{ ${parts.join(' ')} }`, cost };
}

const tokens = (document: string) => document.match(/\.\.\.|[A-Za-z_][A-Za-z0-9_]*|[{}():!$\[\]=,]/g)?.length ?? 0;

/**
 * The deepest selection within the api's limits with room to spare: tokens (2000), and the cost a key
 * may spend (25,000), for a root list counted at its largest (three ids for nodes, a page of 100).
 */
function richestSelection(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  const rootList = field.name === 'nodes' ? 3 : isListType(isNonNullType(field.type) ? field.type.ofType : field.type) ? LIST_SIZE : 1;
  const paged = field.args.some((a) => a.name === 'first') ? 2 : 1;
  for (let depth = 4; depth > 0; depth--) {
    const chosen = selection(type, depth);
    if (tokens(chosen.text) < 1_200 && (chosen.text.match(/\w+: \w/g)?.length ?? 0) <= 15 && chosen.cost * rootList * paged < 20_000) return chosen.text;
  }
  return selection(type, 0).text;
}

// ---- operations ---------------------------------------------------------------------------------

/**
 * An id as the generator draws it, readable in a counterexample: `B.Conversation#1` (Bravo's second
 * conversation), `A.Label#0`, `B.Message#2>Conversation` (that uuid dressed as another type),
 * `B.Note#0:raw` (the bare uuid), or garbage (`junk`, `empty`, `zero:Conversation`).
 */
type IdRef = string;

interface Op {
  actor: ActorName;
  /** `Query.node`, `Mutation.deleteLabel`, or `GET /media` (the media route, by id). */
  field: string;
  args: Record<string, unknown>;
}

const MEDIA_ROUTE = 'GET /media';

function hintsFor(fieldName: string, argName: string): string[] {
  const byArg: Record<string, string[]> = {
    conversationId: ['Conversation'],
    userId: ['User'],
    labelId: ['Label'],
    departmentId: ['Department'],
    defaultDepartmentId: ['Department'],
    messageId: ['Message'],
    replyToMessageId: ['Message'],
    uploadedMediaId: ['Media'],
    actorId: ['User', 'ApiKey'],
    agentId: ['User'],
    phoneNumberId: ['PhoneNumber'],
    tenantId: ['Tenant'],
  };
  if (byArg[argName]) return byArg[argName];
  const name = fieldName.split('.')[1]!.toLowerCase();
  const named = [...ID_TYPES].sort((a, b) => b.length - a.length).find((t) => name.includes(t.toLowerCase()));
  if (named) return [named];
  return ID_TYPES;
}

/** Where an operation's ids come from: Bravo's of the right kind (the examples), Alpha's own, or a mix with garbage. */
type Aim = 'bravo' | 'alpha' | 'mixed';

function idRef(hints: string[], aim: Aim): fc.Arbitrary<IdRef> {
  const index = fc.nat({ max: 9 });
  const bravoTyped = fc.tuple(fc.constantFrom(...hints), index).map(([t, i]) => `B.${t}#${i}`);
  if (aim === 'bravo') return bravoTyped;
  if (aim === 'alpha') return fc.tuple(fc.constantFrom(...hints), index).map(([t, i]) => `A.${t}#${i}`);
  return fc.oneof(
    { weight: 6, arbitrary: bravoTyped },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ID_TYPES), index).map(([t, i]) => `B.${t}#${i}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...hints), index).map(([t, i]) => `A.${t}#${i}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ID_TYPES), index, fc.constantFrom(...hints)).map(([t, i, as]) => `B.${t}#${i}>${as}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...hints), index).map(([t, i]) => `B.${t}#${i}:raw`) },
    { weight: 1, arbitrary: fc.constantFrom('junk', 'empty', ...hints.map((h) => `zero:${h}`)) },
  );
}

/** A range's ends (analytics): the last month, so that the worlds' activity is inside it. */
const RANGE: Record<string, () => string> = {
  from: () => new Date(Date.now() - 30 * 86_400_000).toISOString(),
  to: () => new Date(Date.now() + 86_400_000).toISOString(),
};

/** Values of a type: ids from the pools, and plain values the api takes where nothing is overridden. */
function valueOf(type: GraphQLInputType, hints: string[], aim: Aim): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOf(type.ofType, hints, aim);
  if (isListType(type)) return fc.array(valueOf(type.ofType, hints, aim), { minLength: 1, maxLength: 3 });
  const named = getNamedType(type);
  if (named.name === 'ID') return idRef(hints, aim);
  if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      if (carriesId(f.type)) record[f.name] = isNonNullType(f.type) ? valueOf(f.type, hintsFor('.x', f.name), aim) : fc.option(valueOf(f.type, hintsFor('.x', f.name), aim), { nil: undefined });
      else if (isNonNullType(f.type) && getNamedType(f.type).name === 'DateTime' && f.name in RANGE) record[f.name] = fc.constant(RANGE[f.name]!());
      else if (isNonNullType(f.type)) record[f.name] = valueOf(f.type, hints, aim);
    }
    return fc.record(record);
  }
  switch (named.name) {
    case 'Int':
      return fc.integer({ min: 1, max: 5 });
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc.constant('2020-01-01T00:00:00.000Z');
    default:
      return fc.constant('Wall check');
  }
}

function argsOf(fieldName: string, aim: Aim): fc.Arbitrary<Record<string, unknown>> {
  if (fieldName === MEDIA_ROUTE) return fc.record({ id: idRef(['Media'], aim) });
  const { field } = rootField(fieldName);
  const overrides = COVERED[fieldName] ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const arg of field.args) {
    const hints = hintsFor(fieldName, arg.name);
    const override = overrides[arg.name];
    if (override && arg.name === 'input' && fieldName === 'Mutation.connectWhatsAppNumber') {
      record[arg.name] = fc.tuple(override, fc.option(idRef(['Tenant'], aim), { nil: undefined })).map(([input, tenantId]) => ({ ...(input as object), tenantId }));
    } else if (override) record[arg.name] = override;
    else if (carriesId(arg.type)) record[arg.name] = isNonNullType(arg.type) || aim === 'bravo' ? valueOf(arg.type, hints, aim) : fc.option(valueOf(arg.type, hints, aim), { nil: undefined });
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) record[arg.name] = valueOf(arg.type, hints, aim);
  }
  return fc.record(record);
}

/** Reads of the lists and of oneself (no ids to aim), so that what they answer is checked too. */
const plainReads = () =>
  rootFields()
    .filter(({ root, field }) => root === 'Query' && !field.args.some((a) => carriesId(a.type)))
    .map((f) => f.name);

// ---- the worlds and what is compared ------------------------------------------------------------

let api: RunningApi;
let blobDir: string;
let alpha: TenantWorld;
let bravo: TenantWorld;
let needles: string[];
let idNeedles: Set<string>;
let bravoBaseline: Snapshot;

interface Snapshot {
  /** Per tenant table (and `tenants`): Bravo's row count and a digest of its rows. */
  bravo: Record<string, string>;
  /** Alpha's rows that mention a Bravo uuid, by table. */
  alphaPointingAtBravo: Record<string, number>;
}

async function tenantTables(): Promise<string[]> {
  const rows = await owner()<{ table: string }[]>`
    select c.table_name as table from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
     order by 1`;
  return rows.map((r) => r.table);
}

async function snapshot(): Promise<Snapshot> {
  const tables = await tenantTables();
  const bravoUuids = Object.values(bravo.ids).flat().map((id) => `%${rowIdOf(id)}%`);
  const digests = await owner().unsafe<{ table: string; digest: string }[]>(
    [
      `select 'tenants' as table, count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as digest from tenants x where id = $1`,
      ...tables.map((t) => `select '${t}', count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') from "${t}" x where tenant_id = $1`),
    ].join(' union all '),
    [bravo.tenantId],
  );
  const pointing = await owner().unsafe<{ table: string; n: number }[]>(
    tables.map((t) => `select '${t}' as table, count(*)::int as n from "${t}" x where tenant_id = $1 and x::text like any($2::text[])`).join(' union all '),
    [alpha.tenantId, bravoUuids],
  );
  return {
    bravo: Object.fromEntries(digests.map((d) => [d.table, d.digest])),
    alphaPointingAtBravo: Object.fromEntries(pointing.filter((p) => p.n > 0).map((p) => [p.table, p.n])),
  };
}

function differences(before: Snapshot, after: Snapshot): string[] {
  const changed = Object.keys({ ...before.bravo, ...after.bravo })
    .filter((t) => before.bravo[t] !== after.bravo[t])
    .map((t) => `Bravo's ${t} changed (${before.bravo[t]} → ${after.bravo[t]})`);
  const pointing = Object.entries(after.alphaPointingAtBravo).map(([t, n]) => `${n} row(s) of Alpha's ${t} mention a Bravo id`);
  return [...changed, ...pointing];
}

async function seedWorlds(): Promise<void> {
  await resetDatabase();
  alpha = await seedWorld(api.url, ALPHA);
  bravo = await seedWorld(api.url, BRAVO);
  const bravoIds = Object.values(bravo.ids).flat();
  needles = [
    'bravo',
    ...bravoIds,
    ...bravoIds.map(rowIdOf),
    bravo.tenantId,
    BRAVO.wabaId,
    BRAVO.phoneNumberId,
    BRAVO.displayPhoneNumber,
    ...BRAVO.customers.map((c) => c.waId!),
  ];
  idNeedles = new Set([...bravoIds, ...bravoIds.map(rowIdOf), bravo.tenantId]);
  // Settled: what the seeding wrote after its answers (a failed sign-in's audit entry) is in.
  let previous = await snapshot();
  bravoBaseline = await eventually(
    async () => {
      const next = await snapshot();
      const same = differences(previous, next).length === 0;
      previous = next;
      return { next, same };
    },
    (s) => s.same,
    { everyMs: 200 },
  ).then((s) => s.next);
}

// ---- running an operation -----------------------------------------------------------------------

function resolveId(ref: IdRef): string {
  if (ref === 'junk') return 'not-an-id';
  if (ref === 'empty') return '';
  if (ref.startsWith('zero:')) return Buffer.from(`${ref.slice(5)}:00000000-0000-7000-8000-000000000000`).toString('base64');
  const match = /^([AB])\.(\w+)#(\d+)(?:>(\w+)|(:raw))?$/.exec(ref);
  if (!match) throw new Error(`unknown id reference ${ref}`);
  const [, tenant, type, index, as, raw] = match;
  const world = tenant === 'A' ? alpha : bravo;
  const ofType = (world.ids[type!] ?? []).filter((id) => !world.actorIds.has(id));
  const pool = ofType.length > 0 ? ofType : Object.values(world.ids).flat().filter((id) => !world.actorIds.has(id));
  const id = pool[Number(index) % pool.length]!;
  if (raw) return rowIdOf(id);
  if (as) return Buffer.from(`${as}:${rowIdOf(id)}`).toString('base64');
  return id;
}

/** The op's arguments with every id reference replaced by a real id. */
function resolveArgs(value: unknown, type: GraphQLInputType | null): unknown {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => resolveArgs(v, type && isListType(nullable(type)) ? (nullable(type) as any).ofType : type));
  if (typeof value === 'object') {
    const named = type ? getNamedType(type) : null;
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, resolveArgs(v, fields[k]?.type ?? null)]));
  }
  if (type && getNamedType(type).name === 'ID' && typeof value === 'string') return resolveId(value);
  return value;
}

const nullable = (type: GraphQLInputType): GraphQLInputType => (isNonNullType(type) ? type.ofType : type);

const documents = new Map<string, string>();
function documentFor(fieldName: string, args: GraphQLArgument[]): string {
  const key = `${fieldName}(${args.map((a) => a.name).join(',')})`;
  let document = documents.get(key);
  if (!document) {
    const { field, root } = rootField(fieldName);
    const variables = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const passed = args.map((a) => `${a.name}: $${a.name}`);
    if (field.args.some((a) => a.name === 'first') && !args.some((a) => a.name === 'first')) passed.push('first: 2');
    const call = passed.length ? `(${passed.join(', ')})` : '';
    document = `${root === 'Query' ? 'query' : 'mutation'}${variables ? ` (${variables})` : ''} { ${field.name}${call} ${richestSelection(field)} }`;
    documents.set(key, document);
  }
  return document;
}

interface Outcome {
  request: string;
  /** What came back that only a caller of Bravo may see; the answer's own `data`, and its errors less what the request itself said. */
  data: string;
  errors: string;
}

async function run(op: Op): Promise<Outcome> {
  const credentials: Credentials = alpha.actors[op.actor];
  if (op.field === MEDIA_ROUTE) {
    const id = resolveId(op.args.id as string);
    const mediaId = typeOfGlobalId(id) ? rowIdOf(id) : id;
    const headers: Record<string, string> = typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : { cookie: credentials!.cookie };
    const res = await fetch(`${api.url}/media/${encodeURIComponent(mediaId)}`, { headers });
    const body = await res.text();
    return { request: mediaId, data: res.status === 200 ? `200 ${body}` : '', errors: body };
  }
  const { field } = rootField(op.field);
  const given = field.args.filter((a) => op.args[a.name] !== undefined);
  const variables = Object.fromEntries(given.map((a) => [a.name, resolveArgs(op.args[a.name], a.type)]));
  const res = await graphql(api.url, credentials, documentFor(op.field, given), variables);
  return { request: JSON.stringify(variables), data: JSON.stringify(res.data ?? null), errors: JSON.stringify(res.errors ?? []) };
}

/** Refusals that mean the generator, not the api, is wrong: the operation never reached a resolver. */
const NOT_RUN = /"code":"(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT|COST_LIMIT_EXCEEDED)"/;

function leaksIn(op: Op, outcome: Outcome): string[] {
  const found: string[] = [];
  const notRun = NOT_RUN.exec(outcome.errors);
  if (notRun) found.push(`the generator made an operation the api did not run (${notRun[1]}): ${op.field} ${outcome.errors.slice(0, 300)}`);
  const request = outcome.request.toLowerCase();
  for (const needle of needles) {
    const lower = needle.toLowerCase();
    // A refusal may repeat what the caller said ("No template bravo_offer …"); an id of Bravo's is in an
    // answer's data only if something of Bravo's was found.
    const echoed = request.includes(lower);
    const inData = outcome.data.toLowerCase().includes(lower) && !(echoed && !idNeedles.has(needle));
    const inErrors = outcome.errors.toLowerCase().includes(lower) && !echoed;
    if (inData || inErrors) found.push(`${op.actor} ${op.field} answered ${JSON.stringify(needle)}: ${(inData ? outcome.data : outcome.errors).slice(0, 600)}`);
  }
  return found;
}

/** Mutations that did something (on Alpha's own ids): the actors are live and the arguments good. */
const succeeded = new Set<string>();

/** One sequence: every answer is checked, then Bravo's rows. A failure reseeds both worlds, so shrinking starts from the same place. */
async function sequenceHolds(ops: Op[]): Promise<void> {
  const problems: string[] = [];
  for (const op of ops) {
    const outcome = await run(op);
    if (process.env.WALL_DEBUG) appendFileSync(process.env.WALL_DEBUG, `${op.actor} ${op.field} ${JSON.stringify(op.args)} => ${outcome.data.slice(0, 300)} ${outcome.errors.slice(0, 300)}\n`);
    if (/"__typename":"Mutation\w+Success"/.test(outcome.data)) succeeded.add(op.field);
    problems.push(...leaksIn(op, outcome));
  }
  problems.push(...differences(bravoBaseline, await snapshot()));
  if (problems.length > 0) {
    await seedWorlds();
    throw new Error(problems.join('\n'));
  }
}

// ---- the journeys -------------------------------------------------------------------------------

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-tenant-wall-'));
  // No job worker: replies stay queued, nothing calls Meta; Graph calls made inline (connecting a
  // number) go to a closed local port and fail at once.
  api = await startApi({ instanceId: 'tenant-wall', runJobs: false, blobStore: { kind: 'local', dir: blobDir }, metaGraphUrl: 'http://127.0.0.1:9' });
  await seedWorlds();
});
afterAll(async () => {
  await api?.stop();
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

describe('the tenant wall', () => {
  it('covers every root field that takes an id, and names every one it leaves out', () => {
    const uncovered = idBearing()
      .map((f) => f.name)
      .filter((name) => !(name in COVERED) && !(name in EXCLUDED));
    expect(uncovered, 'root fields with ID arguments missing from COVERED (or EXCLUDED with a reason)').toEqual([]);
    const stale = [...Object.keys(COVERED), ...Object.keys(EXCLUDED)].filter((name) => !rootFields().some((f) => f.name === name));
    expect(stale, 'entries of COVERED or EXCLUDED that the schema no longer has').toEqual([]);
  });

  it('seeds Bravo with something of every kind the generator aims at', () => {
    expect(ID_TYPES.filter((k) => !bravo.ids[k]?.length), 'kinds of id with nothing of Bravo to aim at: seed one in support/tenant-world.ts').toEqual([]);
  });

  it('lets nothing of Bravo out, and changes nothing of Bravo, whatever Alpha asks', async () => {
    const fields = [...Object.keys(COVERED), ...plainReads(), MEDIA_ROUTE];
    const op = (aim: Aim) =>
      fc.oneof(...fields.map((field) => fc.record({ actor: fc.constantFrom(...ACTORS), field: fc.constant(field), args: argsOf(field, aim) }))) as fc.Arbitrary<Op>;
    // Mostly ops that aim at Bravo among other things; some that work on Alpha's own, so that Alpha's
    // state moves (labels put on, people deactivated, conversations moved) between the attempts.
    const anyOp = fc.oneof({ weight: 3, arbitrary: op('mixed') }, { weight: 1, arbitrary: op('alpha') });
    // Every covered field is tried at least once, with a Bravo id of its own kind, by the most powerful
    // person and the most powerful key; then random sequences.
    // And once at Alpha's own, by its admin: that these work shows Bravo's answers are refusals, not a
    // broken generator.
    const examples: [Op[]][] = [...Object.keys(COVERED), MEDIA_ROUTE].flatMap((field, i) => [
      ...(['admin', 'key:all'] as const).map((actor): [Op[]] => [[{ actor, field, args: fc.sample(argsOf(field, 'bravo'), { numRuns: 1, seed: i })[0]! }]]),
      [[{ actor: 'admin', field, args: fc.sample(argsOf(field, 'alpha'), { numRuns: 1, seed: i })[0]! }]] as [Op[]],
    ]);
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 12;
    await fc.assert(fc.asyncProperty(fc.array(anyOp, { minLength: 1, maxLength: 8 }), sequenceHolds), {
      seed,
      ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      // Examples run first and count towards numRuns (and the printed path): the random sequences come on top.
      numRuns: examples.length + Number(process.env.FC_RUNS ?? 100),
      examples,
      endOnFailure: false,
      interruptAfterTimeLimit: 600_000,
    });
    expect(succeeded.size).toBeGreaterThanOrEqual(12);
  }, 900_000);
});

describe('the tenant wall on sockets', () => {
  it("sends Alpha's subscribers nothing of Bravo's conversation, whoever subscribes to it by id", async () => {
    const [first] = BRAVO.customers;
    // The conversation the customer below writes into.
    const inbox = await graphql(api.url, bravo.actors.admin, '{ conversations(first: 10) { edges { node { id contact { waId } } } } }');
    const bravoConversation = inbox.data.conversations.edges.find((e: any) => e.node.contact.waId === first.waId).node.id as string;
    const MESSAGES = 'subscription ($c: ID) { messageChanged(conversationId: $c) { id text conversation { id } } }';
    const EVENTS = 'subscription ($c: ID) { conversationEventChanged(conversationId: $c) { id kind conversation { id } } }';
    const aimed = [];
    for (const actor of ['admin', 'manager', 'agent', 'key:read', 'key:all'] as const) {
      for (const query of [MESSAGES, EVENTS]) aimed.push({ actor, query, feed: await subscribe(api.wsUrl, alpha.actors[actor]!, query, { c: bravoConversation }) });
    }
    // What Bravo's own admin and Alpha's own admin receive shows when the events have gone out.
    const bravoMessages = await subscribe(api.wsUrl, bravo.actors.admin!, MESSAGES, { c: null });
    const bravoEvents = await subscribe(api.wsUrl, bravo.actors.admin!, EVENTS, { c: null });
    const alphaMessages = await subscribe(api.wsUrl, alpha.actors.admin!, MESSAGES, { c: null });
    try {
      await customerWrites(api.url, BRAVO, first, 'text', 'bravo is anyone there');
      await customerWrites(api.url, BRAVO, first, 'welcome');
      await customerWrites(api.url, ALPHA, ALPHA.customers[0], 'text', 'alpha after bravo');
      await bravoMessages.waitFor(1);
      await bravoEvents.waitFor(1);
      await alphaMessages.waitFor(1);
      expect(bravoMessages.events.map((e: any) => [e.messageChanged.text, e.messageChanged.conversation.id])).toContainEqual(['bravo is anyone there', bravoConversation]);
      expect(alphaMessages.events.map((e: any) => e.messageChanged.text)).toEqual(['alpha after bravo']);
      expect(aimed.map(({ actor, query, feed }) => ({ actor, query: query.slice(24, 46), events: feed.events }))).toEqual(
        aimed.map(({ actor, query }) => ({ actor, query: query.slice(24, 46), events: [] })),
      );
    } finally {
      for (const { feed } of aimed) await feed.close();
      for (const feed of [bravoMessages, bravoEvents, alphaMessages]) await feed.close();
    }
  });
});
