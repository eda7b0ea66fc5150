// Tenant closure (issue 12): an operator closes a tenant; it becomes read-only (every mutation of the
// contract is refused to its people and keys, but for an explicit allow-list), webhooks for it are
// dropped, its admins export everything (a zip of every table and its media files), an operator may
// reopen it during the grace period, and after the grace period the purge leaves nothing of it — a dump
// of every table with a tenant_id and the blob directory are checked — while another tenant is
// untouched. All through a real api over HTTP against real Postgres, the purge on a controlled clock.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType, type GraphQLInputType } from 'graphql';
import { strFromU8, unzipSync } from 'fflate';
import { connect, type Sql } from '@switchboard/db/connect';
import { seedTenant } from '@switchboard/db/seed';
import { withTenant } from '@switchboard/db/tenant';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { runRetentionSweeps } from '@switchboard/api/retention/sweeps';
import { EXCLUDED_TABLES, SECRET_COLUMNS } from '@switchboard/api/tenants/export-tenant';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, logIn, metric, owner, resetDatabase, seedApiKey, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const contract = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
const MUTATIONS = contract.getMutationType()!.getFields();

/** What a closed tenant's people and keys may still do (the contract's promise, spelled out here). */
const ALLOWED_WHEN_CLOSED = ['exportAnalytics', 'exportTenant', 'logIn', 'logOut', 'logOutEverywhereElse', 'revokeSession', 'revokeUserSessions', 'setPresence'];
/** Operators' mutations: never open to a tenant's people or keys, closed or not. */
const OPERATORS_ONLY = ['closeTenant', 'createTenant', 'reopenTenant'];

const OPERATOR = { email: 'ops@switchboard.test', name: 'Platform Ops', password: 'operator passphrase 1' };
const PASSWORD = 'correct horse battery';
const CUSTOMER = { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' };
const MINUTE = 60_000;
const PDF = new Uint8Array([...Buffer.from('%PDF-1.4\n% closure export test\n'), ...Array.from({ length: 300 }, (_, i) => i % 251)]);

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

const CLOSE = `mutation ($id: ID!, $graceDays: Int) { closeTenant(id: $id, graceDays: $graceDays) {
  __typename
  ... on MutationCloseTenantSuccess { tenant { closedAt purgeAfter status } }
  ... on Error { code message } } }`;
const REOPEN = `mutation ($id: ID!) { reopenTenant(id: $id) {
  __typename
  ... on MutationReopenTenantSuccess { tenant { closedAt purgeAfter status } }
  ... on Error { code } } }`;
const EXPORT = 'mutation { exportTenant { __typename ... on MutationExportTenantSuccess { export { url expiresAt byteSize } } ... on Error { code } } }';
const CREATE_LABEL = 'mutation { createLabel(name: "VIP") { __typename ... on Error { code message } } }';
const VIEWER = 'query { viewer { tenant { name closedAt purgeAfter } } conversations(first: 10) { edges { node { id } } } }';

/** A literal for an input type that passes validation: the refusal comes before any resolver reads it. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    return ({ ID: `"${gid('Conversation', '00000000-0000-4000-8000-000000000001')}"`, String: '"x"', Int: '1', Float: '1', Boolean: 'true', DateTime: '"2026-01-01T00:00:00Z"' } as Record<string, string>)[type.name] ?? '"x"';
  }
  throw new Error(`no literal for ${String(type)}`);
}

/** Types a global id can name: an ID argument must name the right one before any resolver runs. */
const NODE_TYPES = Object.values(contract.getTypeMap())
  .filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'))
  .map((t) => t.name);

/**
 * The whole operation for one mutation, with every required argument and a selection that shows the
 * outcome. ID arguments name `idTypes[arg]` (else what the argument's name says, else a Conversation).
 */
function operationFor(name: string, idTypes: Record<string, string> = {}): { query: string; file: boolean; idArgs: string[] } {
  const field = MUTATIONS[name]!;
  const required = field.args.filter((a) => isNonNullType(a.type));
  const file = required.some((a) => getNamedType(a.type).name === 'File');
  const idArgs = required.filter((a) => getNamedType(a.type).name === 'ID' && !isListType(isNonNullType(a.type) ? a.type.ofType : a.type)).map((a) => a.name);
  const idOf = (arg: string) => {
    const named = idTypes[arg] ?? NODE_TYPES.find((t) => `${t[0]!.toLowerCase()}${t.slice(1)}Id` === arg) ?? 'Conversation';
    return `"${gid(named, '00000000-0000-4000-8000-000000000001')}"`;
  };
  const args = required.map((a) => `${a.name}: ${getNamedType(a.type).name === 'File' ? '$file' : idArgs.includes(a.name) ? idOf(a.name) : literal(a.type)}`);
  const result = getNamedType(field.type);
  const selection = isUnionType(result) ? '{ __typename ... on Error { code message } }' : isObjectType(result) ? '{ __typename }' : '';
  const head = file ? 'mutation ($file: File!)' : 'mutation';
  return { query: `${head} { ${name}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`, file, idArgs };
}

describe('tenant closure', () => {
  let api: RunningApi;
  let app: Sql;
  let blobDir: string;
  let a: string;
  let b: string;
  let admin: { cookie: string };
  let agent: { cookie: string };
  let operator: { cookie: string };
  let adminKey: string;
  let allKey: string;
  let otherAdmin: { cookie: string };

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-closure-'));
    api = await startApi({ instanceId: 'closure', blobStore: { kind: 'local', dir: blobDir }, retentionSchedule: null });
    app = connect(inject('appUrl'), { max: 4 });
  }, 60_000);
  afterAll(async () => {
    await app?.end();
    await api?.stop();
    await rm(blobDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await resetDatabase();
    a = (await seedDevTenant()).tenantId;
    b = (await seedTenant(owner(), { name: 'Other Co', wabaId: 'waba-b', phoneNumberId: 'pn-b', displayPhoneNumber: '15550000999' })).tenantId;
    await seedUser(a, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    await seedUser(a, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    await seedUser(b, { email: 'olga@other.test', name: 'Olga Other', role: 'admin' });
    await owner()`insert into operators (email, name, password_hash) values (${OPERATOR.email}, ${OPERATOR.name}, ${await hashPassword(OPERATOR.password)})`;
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
    agent = await logIn(api.url, 'ana@acme.test', PASSWORD);
    otherAdmin = await logIn(api.url, 'olga@other.test', PASSWORD);
    operator = await logIn(api.url, OPERATOR.email, OPERATOR.password);
    adminKey = await seedApiKey(a, ['admin'], 'Admin key');
    allKey = await seedApiKey(a, ['read', 'send', 'admin'], 'All scopes');
    // Something of every kind to export and to purge: a conversation with a message, and a stored file.
    await ingestText('wamid.before-closure', 'I would like to order a flat white');
    await uploadPdf(allKey);
  });

  async function ingestText(wamid: string, body: string) {
    const answer = await ingest(api.ingestUrl, [devTenantBody(CUSTOMER, [textMessage({ from: CUSTOMER, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), body })])]);
    expect(answer.results.map((r) => r.status)).toEqual(['committed']);
  }

  async function uploadPdf(credentials: Credentials, query = 'mutation ($file: File!) { uploadMedia(file: $file) { __typename ... on MutationUploadMediaSuccess { media { id } } ... on Error { code } } }') {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query, variables: { file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([PDF], { type: 'application/pdf' }), 'price-list.pdf');
    const headers: Record<string, string> = { accept: 'application/graphql-response+json', 'graphql-require-preflight': '1' };
    if (typeof credentials === 'string') headers.authorization = `Bearer ${credentials}`;
    else if (credentials) headers.cookie = credentials.cookie;
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: form });
    return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }

  const close = async (tenantId = a, graceDays?: number) => {
    const res = await graphql(api.url, operator, CLOSE, { id: gid('Tenant', tenantId), graceDays });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data.closeTenant;
  };

  /** Every row of every table with a tenant_id that belongs to `tenantId`, as text, by table. */
  async function dumpOf(tenantId: string, { skip = [] as string[] } = {}): Promise<Record<string, string[]>> {
    // The analytics folder works in the background (api/src/analytics/folder.ts): its marks gone means
    // their folds committed, and the rollups hold still.
    await eventually(() => owner()`select 1 from analytics_dirty where tenant_id = ${tenantId}`, (rows) => rows.length === 0);
    const tables = await owner()<{ table: string }[]>`
      select c.table_name as table from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema = 'public' and c.column_name = 'tenant_id' order by 1`;
    const dump: Record<string, string[]> = {};
    for (const { table } of tables) {
      if (skip.includes(table)) continue;
      const rows = await owner()<{ row: string }[]>`select t::text as row from ${owner()(table)} t where tenant_id = ${tenantId} order by 1`;
      if (rows.length) dump[table] = rows.map((r) => r.row);
    }
    return dump;
  }

  /** Files under a directory of the blob store: blobs, or with `all` also their content-type companions. */
  async function filesUnder(dir: string, { all = false } = {}): Promise<string[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && (all || !e.name.includes('~')))
      .map((e) => path.relative(blobDir, path.join(e.parentPath, e.name)));
  }

  describe('closing', () => {
    it('is for operators: the tenant says when it closed and when it will be purged, 90 days unless said, at most 90', async () => {
      for (const graceDays of [0, 91]) {
        const res = await graphql(api.url, operator, CLOSE, { id: gid('Tenant', a), graceDays });
        expect(res.data.closeTenant).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT' });
      }
      const before = Date.now();
      const closed = await close();
      expect(closed.__typename).toBe('MutationCloseTenantSuccess');
      const closedAt = Date.parse(closed.tenant.closedAt);
      expect(closedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(closed.tenant.purgeAfter) - closedAt).toBe(90 * 24 * 60 * MINUTE);
      expect(closed.tenant.status).toBe('CLOSED');
      expect((await graphql(api.url, operator, CLOSE, { id: gid('Tenant', a) })).data.closeTenant).toMatchObject({ __typename: 'ConflictError', code: 'ALREADY_CLOSED' });
      // Its people read the dates (the dashboard's banner); the audit log says who closed it.
      const seen = await graphql(api.url, agent, VIEWER);
      expect(seen.data.viewer.tenant).toEqual({ name: 'Acme Coffee', closedAt: closed.tenant.closedAt, purgeAfter: closed.tenant.purgeAfter });
      const [entry] = await owner()`select actor_kind, target_kind, target_id, detail from audit_events where tenant_id = ${a} and action = 'tenant.closed'`;
      expect(entry).toEqual({ actorKind: 'operator', targetKind: 'tenant', targetId: a, detail: { graceDays: 90, purgeAfter: new Date(closed.tenant.purgeAfter).toISOString() } });
    });

    it('and reopening are refused to admins and keys of any tenant, and an unknown tenant is not found', async () => {
      for (const who of [admin, agent, adminKey, allKey, otherAdmin]) {
        const res = await graphql(api.url, who, CLOSE, { id: gid('Tenant', a) });
        expect([res.data?.closeTenant ?? null, codes(res)]).toEqual([null, ['FORBIDDEN']]);
        const again = await graphql(api.url, who, REOPEN, { id: gid('Tenant', b) });
        expect([again.data?.reopenTenant ?? null, codes(again)]).toEqual([null, ['FORBIDDEN']]);
      }
      const unknown = await graphql(api.url, operator, CLOSE, { id: gid('Tenant', '00000000-0000-4000-8000-00000000dead') });
      expect(unknown.data.closeTenant).toMatchObject({ __typename: 'NotFoundError' });
      const notATenant = await graphql(api.url, operator, CLOSE, { id: gid('User', a) });
      expect(notATenant.data.closeTenant).toMatchObject({ __typename: 'NotFoundError' });
      expect((await owner()`select count(*)::int as n from tenants where closed_at is not null`)[0]!.n).toBe(0);
    });
  });

  describe('a closed tenant', () => {
    it('refuses every mutation of the contract to its people and keys, but for the allow-list, and changes nothing', async () => {
      await close();
      const names = Object.keys(MUTATIONS).sort();
      const refused: string[] = [];
      const skip = ['sessions', 'api_keys', 'audit_events', 'presence_sockets'];
      const before = await dumpOf(a, { skip });
      for (const name of names) {
        if (ALLOWED_WHEN_CLOSED.includes(name) || OPERATORS_ONLY.includes(name)) continue;
        // The admin first; a mutation only keys may run (FORBIDDEN to people) goes again with the key.
        const run = async (idTypes: Record<string, string>) => {
          const { query, file } = operationFor(name, idTypes);
          const res = file ? await uploadPdf(admin, query) : await graphql(api.url, admin, query);
          return codes(res).includes('FORBIDDEN') ? (file ? await uploadPdf(allKey, query) : await graphql(api.url, allKey, query)) : res;
        };
        // An ID argument of the wrong type is refused before anything else: find the type it takes.
        const idTypes: Record<string, string> = {};
        let res = await run(idTypes);
        for (const arg of operationFor(name).idArgs) {
          for (const type of NODE_TYPES) {
            if (!/is not of type/.test(res.errors?.[0]?.message ?? '')) break;
            res = await run({ ...idTypes, [arg]: type });
            if (!/is not of type/.test(res.errors?.[0]?.message ?? '')) idTypes[arg] = type;
          }
        }
        const outcome = res.data?.[name];
        const typed = outcome && outcome.__typename === 'TenantClosedError' && outcome.code === 'TENANT_CLOSED';
        const untyped = outcome == null && codes(res).join() === 'TENANT_CLOSED';
        expect(typed || untyped, `${name}: ${JSON.stringify(res)}`).toBe(true);
        if (typed) expect(outcome.message).toMatch(/closed and read-only/);
        refused.push(name);
      }
      expect([...refused, ...ALLOWED_WHEN_CLOSED, ...OPERATORS_ONLY].sort()).toEqual(names);
      expect(await dumpOf(a, { skip })).toEqual(before);
      // An agent meets the same wall.
      const [conversation] = await owner()<{ id: string }[]>`select id from conversations where tenant_id = ${a}`;
      const res = await graphql(api.url, agent, 'mutation ($id: ID!) { setConversationStatus(conversationId: $id, status: RESOLVED) { __typename } }', { id: gid('Conversation', conversation!.id) });
      expect(res.data?.setConversationStatus?.__typename, JSON.stringify(res)).toBe('TenantClosedError');
    });

    it('takes no new rows in the database either, whatever path the application role takes; deletes and the audit log still work', async () => {
      await close();
      const newLabel = (tenantId: string) => withTenant(app, tenantId, (tx) => tx`insert into labels (tenant_id, name, color) values (${tenantId}, 'Sneaked in', '#123456')`);
      await expect(newLabel(a)).rejects.toMatchObject({ code: '25006' });
      const newContact = withTenant(app, a, (tx) => tx`insert into contacts (tenant_id, wa_id) values (${a}, '15550009999')`);
      await expect(newContact).rejects.toMatchObject({ code: '25006' });
      await newLabel(b);
      expect(await owner()`select tenant_id from labels where name = 'Sneaked in'`).toEqual([{ tenantId: b }]);
      // Retention and erasure delete during the grace period; the audit log records downloads and sign-ins.
      await withTenant(app, a, (tx) => tx`delete from webhook_events where tenant_id = ${a}`);
      await withTenant(app, a, (tx) => tx`insert into audit_events (tenant_id, action, actor_kind) values (${a}, 'session.signed_in', 'anonymous')`);
    });

    it('still lets its people sign in, read, set their availability, end sessions and sign out', async () => {
      await close();
      const again = await logIn(api.url, 'boss@acme.test', PASSWORD);
      const read = await graphql(api.url, again, VIEWER);
      expect(read.errors).toBeUndefined();
      expect(read.data.conversations.edges).toHaveLength(1);
      const presence = await graphql(api.url, again, 'mutation { setPresence(presence: ONLINE) { presence } }');
      expect(presence.data.setPresence).toEqual({ presence: 'ONLINE' });
      expect((await graphql(api.url, again, 'mutation { logOutEverywhereElse }')).data.logOutEverywhereElse).toBe(1);
      expect((await graphql(api.url, again, 'mutation { logOut }')).data.logOut).toBe(true);
      expect(codes(await graphql(api.url, again, VIEWER))).toEqual(['UNAUTHENTICATED']);
    });

    it('drops webhooks for it: nothing is stored, the drop is counted, and another tenant is unaffected', async () => {
      await close();
      const before = await dumpOf(a, { skip: ['sessions', 'api_keys', 'audit_events'] });
      const dropped = await metric(api.url, 'switchboard_ingest_closed_tenant_total');
      await ingestText('wamid.after-closure', 'Are you still there?');
      expect(await dumpOf(a, { skip: ['sessions', 'api_keys', 'audit_events'] })).toEqual(before);
      expect(await owner()`select count(*)::int as n from messages where wamid = 'wamid.after-closure'`).toEqual([{ n: 0 }]);
      expect(await owner()`select count(*)::int as n from unroutable_events`).toEqual([{ n: 0 }]);
      expect(await metric(api.url, 'switchboard_ingest_closed_tenant_total')).toBe(dropped + 1);
      // The other tenant works as before.
      expect((await graphql(api.url, otherAdmin, CREATE_LABEL)).data.createLabel.__typename).toBe('MutationCreateLabelSuccess');
    });

    it('opens again when an operator reopens it during the grace period, with an audit entry', async () => {
      const closed = await close(a, 30);
      expect((await graphql(api.url, admin, CREATE_LABEL)).data.createLabel.__typename).toBe('TenantClosedError');
      const reopened = await graphql(api.url, operator, REOPEN, { id: gid('Tenant', a) });
      expect(reopened.data.reopenTenant).toEqual({ __typename: 'MutationReopenTenantSuccess', tenant: { closedAt: null, purgeAfter: null, status: 'ACTIVE' } });
      expect((await graphql(api.url, admin, CREATE_LABEL)).data.createLabel.__typename).toBe('MutationCreateLabelSuccess');
      await ingestText('wamid.after-reopening', 'Back again');
      expect(await owner()`select count(*)::int as n from messages where wamid = 'wamid.after-reopening'`).toEqual([{ n: 1 }]);
      const [entry] = await owner()`select actor_kind, target_id, detail from audit_events where tenant_id = ${a} and action = 'tenant.reopened'`;
      expect(entry).toEqual({ actorKind: 'operator', targetId: a, detail: { closedAt: new Date(closed.tenant.closedAt).toISOString() } });
      expect((await graphql(api.url, operator, REOPEN, { id: gid('Tenant', a) })).data.reopenTenant).toEqual({ __typename: 'ConflictError', code: 'NOT_CLOSED' });
    });
  });

  describe('the export', () => {
    it("holds every table of the tenant's data and its media files, without secrets, downloaded by its admins only", async () => {
      await close();
      const res = await graphql(api.url, admin, EXPORT);
      expect(res.data.exportTenant.__typename).toBe('MutationExportTenantSuccess');
      const { url, expiresAt, byteSize } = res.data.exportTenant.export;
      expect(url).toMatch(/^\/tenant-exports\/[0-9a-f-]{36}$/);
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 60 * MINUTE - 5 * MINUTE);
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(7 * 24 * 60 * MINUTE);
      const exportId = url.split('/').pop();
      expect(await filesUnder(path.join(blobDir, 'tenants', a, 'exports'))).toEqual([`tenants/${a}/exports/tenant-${exportId}.zip`]);

      const download = await fetch(`${api.url}${url}`, { headers: { cookie: admin.cookie } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/zip');
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="switchboard-export-\d{4}-\d\d-\d\d\.zip"/);
      const zip = new Uint8Array(await download.arrayBuffer());
      expect(zip.byteLength).toBe(byteSize);
      const files = unzipSync(zip);
      const table = (name: string) => JSON.parse(strFromU8(files[`tables/${name}.json`]!)) as Record<string, unknown>[];
      const manifest = JSON.parse(strFromU8(files['manifest.json']!));
      expect(manifest).toMatchObject({ format: 1, tenantId: a, exportId });
      for (const name of ['messages', 'contacts', 'conversations', 'users', 'departments', 'audit_events', 'media', 'consent_events', 'retention_policies'].filter((t) => t !== 'retention_policies')) {
        expect(Object.keys(files), name).toContain(`tables/${name}.json`);
      }
      expect(table('messages').map((m) => m.text)).toContain('I would like to order a flat white');
      expect(table('contacts').map((c) => c.waId)).toEqual([CUSTOMER.waId]);
      expect(table('users').map((u) => u.email).sort()).toEqual(['ana@acme.test', 'boss@acme.test']);
      expect(table('audit_events').map((e) => e.action)).toContain('tenant.closed');
      const [media] = table('media');
      expect(files[manifest.media[media!.id as string]]).toEqual(PDF);
      expect(Object.keys(files).filter((f) => f.startsWith('media/'))).toEqual([`media/${media!.id}.pdf`]);
      // Only tenant data: nothing of the other tenant, no sessions, no hashes or sealed tokens.
      const everything = Object.entries(files).filter(([f]) => f.endsWith('.json')).map(([, bytes]) => strFromU8(bytes)).join('\n');
      expect(everything).not.toContain(b);
      expect(everything).not.toMatch(/passwordHash|keyHash|tokenHash|accessTokenSealed|\$argon2/);
      expect(Object.keys(files)).not.toContain('tables/sessions.json');

      const [entry] = await owner()`select actor_kind, target_kind, target_id, host(address) as address from audit_events where tenant_id = ${a} and action = 'tenant.export.downloaded'`;
      expect(entry).toEqual({ actorKind: 'user', targetKind: 'tenant_export', targetId: exportId, address: '127.0.0.1' });
      expect(await owner()`select count(*)::int as n from audit_events where tenant_id = ${a} and action = 'tenant.exported'`).toEqual([{ n: 1 }]);

      // ADMIN keys download it too; agents, read keys, operators, the other tenant and nobody do not.
      expect((await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(200);
      const readKey = await seedApiKey(a, ['read', 'send']);
      const statuses = await Promise.all(
        ([{ cookie: agent.cookie }, { authorization: `Bearer ${readKey}` }, { cookie: operator.cookie }, { cookie: otherAdmin.cookie }, {}] as Record<string, string>[]).map(
          async (headers) => (await fetch(`${api.url}${url}`, { headers })).status,
        ),
      );
      expect(statuses).toEqual([403, 403, 403, 404, 401]);
    });

    it('leaves out every column that looks like a secret: a new one fails here until it is listed', async () => {
      // Tables are exported by default (found in the catalogue); a column named like a credential must be
      // named in SECRET_COLUMNS (or its table left out) before it can reach an export.
      const suspicious = await owner()<{ table: string; column: string }[]>`
        select c.table_name as table, c.column_name as column from information_schema.columns c
         where c.table_schema = 'public'
           and c.column_name ~ '(hash|secret|token|sealed|password|salt|key_id)'
           and exists (select 1 from information_schema.columns k where k.table_schema = 'public' and k.table_name = c.table_name and k.column_name = 'tenant_id')
         order by 1, 2`;
      const unlisted = suspicious.filter((c) => !(c.table in EXCLUDED_TABLES) && !SECRET_COLUMNS.has(c.column));
      expect(unlisted).toEqual([]);
      expect(suspicious.length).toBeGreaterThanOrEqual(4);
    });

    it('is for admins and ADMIN keys, and is deleted, file and all, when the export period ends', async () => {
      const refused = await Promise.all([agent, await seedApiKey(a, ['read', 'send'])].map((c) => graphql(api.url, c, EXPORT)));
      expect(refused.map(codes)).toEqual([['FORBIDDEN'], ['FORBIDDEN']]);
      const made = await graphql(api.url, adminKey, EXPORT);
      const { url, expiresAt } = made.data.exportTenant.export;
      const dir = path.join(blobDir, 'tenants', a, 'exports');
      expect(await filesUnder(dir)).toHaveLength(1);
      const log = () => {};
      await runRetentionSweeps(app, { now: new Date(Date.parse(expiresAt) - MINUTE), rawWebhookCeilingDays: 7, log });
      expect((await fetch(`${api.url}${url}`, { headers: { cookie: admin.cookie } })).status).toBe(200);
      const results = await runRetentionSweeps(app, { now: new Date(Date.parse(expiresAt) + MINUTE), rawWebhookCeilingDays: 7, log });
      expect(results.get(a)?.tenantExports).toBe(1);
      expect((await fetch(`${api.url}${url}`, { headers: { cookie: admin.cookie } })).status).toBe(404);
      await eventually(() => filesUnder(dir, { all: true }), (files) => files.length === 0);
    });
  });

  describe('the purge', () => {
    it('after the grace period leaves nothing of the tenant in any table or the blob store, a tombstone, and the other tenant whole', async () => {
      await graphql(api.url, admin, EXPORT);
      await graphql(api.url, otherAdmin, CREATE_LABEL);
      const closed = await close(a, 3);
      const purgeAfter = Date.parse(closed.tenant.purgeAfter);
      const otherBefore = await dumpOf(b, { skip: ['sessions', 'api_keys'] });
      expect(await filesUnder(path.join(blobDir, 'tenants', a))).toHaveLength(2);
      const log = () => {};

      // A minute early: nothing goes.
      await runRetentionSweeps(app, { now: new Date(purgeAfter - MINUTE), rawWebhookCeilingDays: 7, log });
      expect(Object.keys(await dumpOf(a))).toContain('messages');

      await runRetentionSweeps(app, { now: new Date(purgeAfter + MINUTE), rawWebhookCeilingDays: 7, log });
      expect(await dumpOf(a)).toEqual({});
      expect(await owner()`select name, closed_at is not null as closed, purged_at is not null as purged from tenants where id = ${a}`).toEqual([
        { name: 'Closed account', closed: true, purged: true },
      ]);
      await eventually(() => filesUnder(path.join(blobDir, 'tenants', a), { all: true }), (files) => files.length === 0);
      expect(await dumpOf(b, { skip: ['sessions', 'api_keys'] })).toEqual(otherBefore);

      // Its people are gone; operators see the tombstone, which cannot be reopened.
      expect(codes(await graphql(api.url, admin, VIEWER))).toEqual(['UNAUTHENTICATED']);
      const tenants = await graphql(api.url, operator, 'query { tenants { edges { node { name status closedAt purgeAfter } } } }');
      expect(tenants.data.tenants.edges.map(({ node: t }: { node: { name: string; status: string } }) => [t.name, t.status])).toEqual([
        ['Other Co', 'ACTIVE'],
        ['Closed account', 'PURGED'],
      ]);
      expect((await graphql(api.url, operator, REOPEN, { id: gid('Tenant', a) })).data.reopenTenant).toEqual({ __typename: 'ConflictError', code: 'PURGED' });
      // A second run finds nothing more to do.
      await runRetentionSweeps(app, { now: new Date(purgeAfter + 2 * MINUTE), rawWebhookCeilingDays: 7, log });
      expect(await dumpOf(a)).toEqual({});
    });

    it('is not run for an open tenant, nor for one reopened in time', async () => {
      const closed = await close(a, 1);
      await graphql(api.url, operator, REOPEN, { id: gid('Tenant', a) });
      await runRetentionSweeps(app, { now: new Date(Date.parse(closed.tenant.purgeAfter) + 365 * 24 * 60 * MINUTE), rawWebhookCeilingDays: 7, log: () => {} });
      expect(await owner()`select name, purged_at from tenants where id = ${a}`).toEqual([{ name: 'Acme Coffee', purgedAt: null }]);
      expect(Object.keys(await dumpOf(a))).toEqual(expect.arrayContaining(['contacts', 'users', 'whatsapp_accounts']));
    });
  });
});
