// The live queue through a real socket (a webhook arrives, an agent takes the conversation), the figures
// following real ingest within the folder's pass, and who may see what: managers, admins and READ keys
// the whole tenant; agents only their own figures; nothing of another tenant, whatever ids are sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedTenant } from '@switchboard/db/seed';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, logIn, owner, resetDatabase, seedApiKey, seedDepartment, seedDevTenant, seedUser, startApi, subscribe, type Credentials, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const PASSWORD = 'correct horse battery';
const LIVE = `subscription { liveQueueChanged { waiting longestWaitSeconds oldestWaitingSince open onlineAgents departments { department { name } waiting open onlineAgents } } }`;
const LIVE_QUERY = `{ liveQueue { waiting open onlineAgents departments { department { name } waiting } } }`;
const FIGURES = `query ($input: AnalyticsInput!) { analytics(input: $input) { conversationsOpened messagesInbound messagesOutbound firstResponseTime { count } agents { agent { name } messagesOutbound } } }`;
const MINE = `query ($input: AnalyticsInput!) { myAnalytics(input: $input) { conversationsOpened messagesInbound messagesOutbound agents { agent { name } messagesOutbound } } }`;
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

let sequence = 0;
function customerWrites(n: number, body = 'Hello?') {
  const waId = `1555000${String(n).padStart(4, '0')}`;
  return devTenantBody({ name: `Customer ${n}`, waId }, [
    textMessage({ from: { name: `Customer ${n}`, waId }, id: `wamid.analytics-${n}-${++sequence}`, timestamp: String(Math.floor(Date.now() / 1000)), body }),
  ]);
}

describe('live queue and access', () => {
  let api: RunningApi;
  let tenantId: string;
  let ana: string;
  let sales: string;
  let manager: Credentials;
  const today = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(async () => {
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    tenantId = (await seedDevTenant()).tenantId;
    ana = (await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', capacity: 0 })).id;
    await seedUser(tenantId, { email: 'mia@acme.test', name: 'Mia Manager', role: 'manager' });
    sales = await seedDepartment(tenantId, { name: 'Sales', members: [ana], isDefault: true, autoAssign: false });
    manager = await logIn(api.url, 'mia@acme.test', PASSWORD);
  });

  it('pushes the queue within a second when a customer writes and when an agent takes the conversation', async () => {
    const live = await subscribe(api.wsUrl, manager as { cookie: string }, LIVE);
    const [first] = await live.waitFor(1);
    expect(first.liveQueueChanged).toMatchObject({ waiting: 0, open: 0, onlineAgents: 0, departments: [{ department: { name: 'Sales' }, waiting: 0, open: 0, onlineAgents: 0 }] });

    const sent = Date.now();
    await ingest(api.url, [customerWrites(1)]);
    const events = await live.waitFor(2);
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(events[1].liveQueueChanged).toMatchObject({ waiting: 1, open: 1, departments: [{ department: { name: 'Sales' }, waiting: 1, open: 1 }] });
    expect(events[1].liveQueueChanged.oldestWaitingSince).not.toBeNull();
    expect(events[1].liveQueueChanged.longestWaitSeconds).toBeGreaterThanOrEqual(0);

    // Ana takes it (assigned to her by a manager's call, as the dashboard's "assign to me" does).
    const [conversation] = await owner()<{ id: string }[]>`select id from conversations where tenant_id = ${tenantId}`;
    const taken = Date.now();
    const assign = await graphql(api.url, manager, `mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u, force: true) { __typename } }`, {
      c: globalId('Conversation', conversation!.id),
      u: globalId('User', ana),
    });
    expect(assign.data.assignConversation.__typename).toBe('MutationAssignConversationSuccess');
    const after = await live.waitFor(3);
    expect(Date.now() - taken).toBeLessThan(1_000);
    expect(after[2].liveQueueChanged).toMatchObject({ waiting: 0, open: 1, longestWaitSeconds: null });
    await live.close();

    // The figures follow: the folder folds the new conversation within its pass.
    const figures = await eventually(() => graphql(api.url, manager, FIGURES, { input: today() }), (r) => r.data?.analytics?.conversationsOpened === 1);
    expect(figures.data.analytics).toMatchObject({ conversationsOpened: 1, messagesInbound: 1, messagesOutbound: 0 });
  });

  it('shows the tenant to managers, admins and READ keys; agents their own figures only; refuses the rest', async () => {
    await ingest(api.url, [customerWrites(2)]);
    const [conversation] = await owner()<{ id: string }[]>`select id from conversations where tenant_id = ${tenantId}`;
    await owner()`update conversations set assignee_id = ${ana} where id = ${conversation!.id}`;
    await owner()`insert into messages (tenant_id, conversation_id, phone_number_id, direction, type, status, sent_at, author_id)
                  select tenant_id, id, phone_number_id, 'outbound', 'text', 'sent', now(), ${ana} from conversations where id = ${conversation!.id}`;
    await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo Agent' });
    await seedUser(tenantId, { email: 'ada@acme.test', name: 'Ada Admin', role: 'admin' });

    const admin = await logIn(api.url, 'ada@acme.test', PASSWORD);
    const readKey = await seedApiKey(tenantId, ['read']);
    // Each field is its own read: wait until the fold shows in the totals and the breakdown alike.
    const whole = await eventually(() => graphql(api.url, admin, FIGURES, { input: today() }), (r) => r.data?.analytics?.messagesOutbound === 1 && r.data.analytics.agents.length > 0);
    expect(whole.data.analytics).toMatchObject({ conversationsOpened: 1, messagesInbound: 1, messagesOutbound: 1, agents: [{ agent: { name: 'Ana Agent' }, messagesOutbound: 1 }] });
    expect((await graphql(api.url, readKey, FIGURES, { input: today() })).data.analytics).toEqual(whole.data.analytics);
    expect((await graphql(api.url, manager, FIGURES, { input: today() })).data.analytics).toEqual(whole.data.analytics);
    expect((await graphql(api.url, readKey, LIVE_QUERY)).data.liveQueue).toMatchObject({ waiting: 0, open: 1 });

    // Agents: refused the tenant's figures and the queue; their own through myAnalytics.
    const anaSession = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const boSession = await logIn(api.url, 'bo@acme.test', PASSWORD);
    for (const q of [FIGURES, LIVE_QUERY]) expect(codes(await graphql(api.url, anaSession, q, { input: today() }))).toEqual(['FORBIDDEN']);
    expect((await graphql(api.url, anaSession, MINE, { input: today() })).data.myAnalytics).toEqual({
      conversationsOpened: 1, messagesInbound: 1, messagesOutbound: 1, agents: [{ agent: { name: 'Ana Agent' }, messagesOutbound: 1 }],
    });
    expect((await graphql(api.url, boSession, MINE, { input: today() })).data.myAnalytics).toEqual({ conversationsOpened: 0, messagesInbound: 0, messagesOutbound: 0, agents: [] });
    expect(codes(await graphql(api.url, boSession, MINE, { input: { ...today(), agentId: globalId('User', ana) } }))).toEqual(['FORBIDDEN']);
    const liveRefused = await subscribe(api.wsUrl, anaSession, LIVE);
    await eventually(async () => liveRefused.errors.length, (n) => n > 0);
    expect((liveRefused.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    await liveRefused.close();

    // Keys without READ, and nobody.
    const sendKey = await seedApiKey(tenantId, ['send']);
    expect(codes(await graphql(api.url, sendKey, FIGURES, { input: today() }))).toEqual(['FORBIDDEN']);
    expect(codes(await graphql(api.url, sendKey, LIVE_QUERY))).toEqual(['FORBIDDEN']);
    expect(codes(await graphql(api.url, null, FIGURES, { input: today() }))).toEqual(['UNAUTHENTICATED']);
  });

  it('shows nothing of another tenant, with its ids or without', async () => {
    await ingest(api.url, [customerWrites(3)]);
    const other = (await seedTenant(owner(), { name: 'Other Co', wabaId: 'waba-other', phoneNumberId: 'pn-other', displayPhoneNumber: '15550000999' })).tenantId;
    const olga = (await seedUser(other, { email: 'olga@other.test', name: 'Olga', role: 'manager' })).id;
    const otherDepartment = await seedDepartment(other, { name: 'Their sales', members: [olga] });
    const [otherNumber] = await owner()<{ id: string }[]>`select id from phone_numbers where tenant_id = ${other}`;
    const olgaSession = await logIn(api.url, 'olga@other.test', PASSWORD);
    // The first tenant's figures are there (folded)…
    await eventually(() => graphql(api.url, manager, FIGURES, { input: today() }), (r) => r.data?.analytics?.conversationsOpened === 1);
    // …and the other tenant's manager sees none of them, not even with the first tenant's ids.
    const zero = { conversationsOpened: 0, messagesInbound: 0, messagesOutbound: 0, firstResponseTime: { count: 0 }, agents: [] };
    expect((await graphql(api.url, olgaSession, FIGURES, { input: today() })).data.analytics).toEqual(zero);
    for (const filter of [{ departmentId: globalId('Department', sales) }, { agentId: globalId('User', ana) }]) {
      expect((await graphql(api.url, olgaSession, FIGURES, { input: { ...today(), ...filter } })).data.analytics).toEqual(zero);
    }
    expect((await graphql(api.url, olgaSession, LIVE_QUERY)).data.liveQueue).toEqual({ waiting: 0, open: 0, onlineAgents: 0, departments: [{ department: { name: 'Their sales' }, waiting: 0 }] });
    // The first tenant's manager filtering by the other tenant's ids gets nothing either.
    for (const filter of [{ departmentId: globalId('Department', otherDepartment) }, { agentId: globalId('User', olga) }, { phoneNumberId: globalId('PhoneNumber', otherNumber!.id) }]) {
      expect((await graphql(api.url, manager, FIGURES, { input: { ...today(), ...filter } })).data.analytics).toEqual(zero);
    }
    // Drill-down with the other tenant's ids: no conversation.
    const drill = await graphql(api.url, manager, `query ($f: ConversationFilter) { conversations(first: 10, filter: $f) { edges { node { id } } } }`, {
      f: { agentId: globalId('User', olga), openedAfter: today().from },
    });
    expect(drill.data.conversations.edges).toEqual([]);
  });

  it('drills down to the conversations behind a figure, by the same definitions', async () => {
    await ingest(api.url, [customerWrites(4)]);
    await ingest(api.url, [customerWrites(5)]);
    const rows = await owner()<{ id: string }[]>`select id from conversations where tenant_id = ${tenantId} order by created_at`;
    // One is answered after 5 minutes, by Ana.
    await owner()`insert into messages (tenant_id, conversation_id, phone_number_id, direction, type, status, sent_at, author_id)
                  select tenant_id, id, phone_number_id, 'outbound', 'text', 'sent', created_at + interval '5 minutes', ${ana} from conversations where id = ${rows[0]!.id}`;
    await owner()`update conversations set assignee_id = ${ana} where id = ${rows[0]!.id}`;
    await eventually(() => graphql(api.url, manager, FIGURES, { input: today() }), (r) => r.data?.analytics?.firstResponseTime?.count === 1);
    const ids = async (filter: Record<string, unknown>) =>
      (await graphql(api.url, manager, `query ($f: ConversationFilter) { conversations(first: 10, filter: $f) { edges { node { id } } } }`, { f: filter })).data.conversations.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    const all = rows.map((r) => globalId('Conversation', r.id)).sort();
    expect(await ids({ openedAfter: today().from, openedBefore: today().to })).toEqual(all);
    expect(await ids({ openedAfter: today().to })).toEqual([]);
    expect(await ids({ firstResponseAbove: 240 })).toEqual([globalId('Conversation', rows[0]!.id)]);
    expect(await ids({ firstResponseBelow: 240 })).toEqual([]);
    expect(await ids({ agentId: globalId('User', ana) })).toEqual([globalId('Conversation', rows[0]!.id)]);
    expect(await ids({ departmentId: globalId('Department', sales), openedAfter: today().from })).toEqual(all);
  });
});
