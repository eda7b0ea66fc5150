// "Every time someone opens a conversation outside their departments": a manager or admin who opens a
// conversation by id (conversation, node, nodes) that is neither theirs nor in one of their departments
// leaves conversation.opened_outside_departments in the audit log, once per person and conversation
// per ten minutes, however often they read it and on whichever api instance. Lists, their own
// departments' conversations, agents and keys leave nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql, logIn, owner, resetDatabase, seedApiKey, seedDepartment, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';

const ACTION = 'conversation.opened_outside_departments';
const gid = (id: string) => Buffer.from(`Conversation:${id}`).toString('base64');

describe('conversations opened outside one’s departments', () => {
  let api: RunningApi;
  let second: RunningApi;
  let tenantId: string;
  let people: Record<'mia' | 'bea' | 'ana', { id: string; session: { cookie: string } }>;
  let conversation: Record<'sales' | 'billing' | 'billingMine' | 'returns', string>;

  beforeAll(async () => {
    [api, second] = await Promise.all([startApi({ runJobs: false, instanceId: 'outside-1' }), startApi({ runJobs: false, instanceId: 'outside-2' })]);
  });
  afterAll(async () => {
    await api?.stop();
    await second?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    const mia = await seedUser(tenantId, { email: 'mia@acme.test', role: 'manager' });
    const bea = await seedUser(tenantId, { email: 'bea@acme.test', role: 'admin' });
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', role: 'agent' });
    const sales = await seedDepartment(tenantId, { name: 'Sales', members: [mia.id, ana.id] });
    const billing = await seedDepartment(tenantId, { name: 'Billing' });
    const open = async (waId: string, departmentId: string, assigneeId: string | null = null) => {
      const [row] = await owner()<{ id: string }[]>`
        with contact as (insert into contacts (tenant_id, wa_id) values (${tenantId}, ${waId}) returning id)
        insert into conversations (tenant_id, contact_id, phone_number_id, status, department_id, assignee_id, last_message_at)
        select ${tenantId}, contact.id, p.phone_number_id, 'open', ${departmentId}, ${assigneeId}, now()
          from contact, phone_numbers p where p.tenant_id = ${tenantId}
        returning id`;
      return row!.id;
    };
    conversation = {
      sales: await open('15550001001', sales),
      billing: await open('15550001002', billing),
      billingMine: await open('15550001003', billing, mia.id),
      returns: await open('15550001004', billing),
    };
    people = {
      mia: { id: mia.id, session: await logIn(api.url, mia.email, mia.password) },
      bea: { id: bea.id, session: await logIn(api.url, bea.email, bea.password) },
      ana: { id: ana.id, session: await logIn(api.url, ana.email, ana.password) },
    };
  });

  const opens = () =>
    owner()<{ actorId: string; targetKind: string; targetId: string; address: string }[]>`
      select actor_id, target_kind, target_id, host(address) as address from audit_events where action = ${ACTION} order by at, target_id`;
  const read = async (url: string, who: Credentials, id: string) => {
    const res = await graphql(url, who, 'query ($id: ID!) { conversation(id: $id) { id } }', { id: gid(id) });
    return res.data?.conversation?.id ?? null;
  };

  it('records a manager opening a conversation of a department they are not in, once however often they read it', async () => {
    for (let i = 0; i < 3; i++) expect(await read(api.url, people.mia.session, conversation.billing)).toBe(gid(conversation.billing));
    const byNode = await graphql(api.url, people.mia.session, 'query ($id: ID!) { node(id: $id) { id } }', { id: gid(conversation.billing) });
    expect(byNode.data.node).toEqual({ id: gid(conversation.billing) });
    // On another api instance too: the database keeps it to one.
    expect(await read(second.url, people.mia.session, conversation.billing)).toBe(gid(conversation.billing));
    expect(await opens()).toEqual([{ actorId: people.mia.id, targetKind: 'conversation', targetId: conversation.billing, address: '127.0.0.1' }]);
  });

  it('records nothing for their own departments, their own conversations, lists, agents or keys', async () => {
    expect(await read(api.url, people.mia.session, conversation.sales)).toBe(gid(conversation.sales));
    expect(await read(api.url, people.mia.session, conversation.billingMine)).toBe(gid(conversation.billingMine));
    const list = await graphql(api.url, people.mia.session, '{ conversations(first: 10) { edges { node { id } } } }');
    expect(list.data.conversations.edges).toHaveLength(4);
    // Ana cannot see Billing at all; a key has no departments.
    expect(await read(api.url, people.ana.session, conversation.billing)).toBeNull();
    expect(await read(api.url, await seedApiKey(tenantId, ['read']), conversation.billing)).toBe(gid(conversation.billing));
    expect(await opens()).toEqual([]);
  });

  it('records an admin outside every department, for each conversation of a nodes read', async () => {
    const res = await graphql(api.url, people.bea.session, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [gid(conversation.sales), gid(conversation.billing)] });
    expect(res.data.nodes).toHaveLength(2);
    const entries = await opens();
    expect(entries.map((e) => [e.actorId, e.targetId]).sort()).toEqual([[people.bea.id, conversation.billing], [people.bea.id, conversation.sales]].sort());
  });

  it('records the same person and conversation again once the ten minutes are over', async () => {
    // An entry eleven minutes old, as if written then (the log cannot be edited, so it is written so).
    await owner()`
      insert into audit_events (tenant_id, at, action, actor_kind, actor_id, target_kind, target_id)
      values (${tenantId}, now() - interval '11 minutes', ${ACTION}, 'user', ${people.mia.id}, 'conversation', ${conversation.returns})`;
    expect(await read(second.url, people.mia.session, conversation.returns)).toBe(gid(conversation.returns));
    expect((await opens()).map((e) => e.targetId)).toEqual([conversation.returns, conversation.returns]);
  });
});
