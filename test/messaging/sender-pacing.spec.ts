// Two api processes send for the same business number: together they must stay within its throughput.
// Each paces the number at its share (sender-membership counts the live senders through Postgres), so
// Meta's sliding one-second window never overflows and nothing is rejected with 130429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@switchboard/db/embedded';
import { devAccessToken, type Sandbox } from '../meta-sandbox/server.ts';
import { startSandbox } from '../support/sandbox.ts';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { DEV_TENANT, graphql, ingest, owner, resetDatabase, seedAccountToken, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const RATE = 10;
const MESSAGES = 45;
const CUSTOMER = { name: 'Noor', waId: '971501112233' };
let apis: RunningApi[] = [];
let sandbox: Sandbox;

beforeAll(async () => {
  const sandboxPort = await freePort();
  apis = [
    await startApi({ metaGraphUrl: `http://127.0.0.1:${sandboxPort}`, instanceId: 'pacing-a' }),
    await startApi({ metaGraphUrl: `http://127.0.0.1:${sandboxPort}`, instanceId: 'pacing-b' }),
  ];
  sandbox = await startSandbox({ port: sandboxPort });
}, 60_000);
afterAll(async () => {
  for (const api of apis) await api.stop();
  await sandbox?.stop();
});

describe('pacing a number across sender processes', () => {
  it('keeps two senders together within the number’s throughput', async () => {
    await resetDatabase();
    const { tenantId, apiKey } = await seedDevTenant();
    await seedAccountToken(tenantId, devAccessToken);
    await owner()`update phone_numbers set throughput_per_second = ${RATE} where tenant_id = ${tenantId}`;
    sandbox.updatePhoneNumber(DEV_TENANT.phoneNumberId, { throughputPerSecond: RATE });
    const live = await eventually(async () => (await owner()`select count(*)::int as n from sender_instances`)[0]!.n as number, (n) => n >= 2);
    expect(live).toBe(2);

    const at = Math.floor(Date.now() / 1000);
    await ingest(apis[0]!.url, [devTenantBody(CUSTOMER, [textMessage({ from: CUSTOMER, id: `wamid.pacing-${Date.now()}`, timestamp: String(at), body: 'hi' })])]);
    sandbox.openWindow({ phoneNumberId: DEV_TENANT.phoneNumberId, waId: CUSTOMER.waId, at: at * 1000 });
    const { data } = await graphql(apis[0]!.url, apiKey, '{ conversations(first: 1) { edges { node { id } } } }');
    const conversationId = data.conversations.edges[0].node.id;

    for (let i = 0; i < MESSAGES; i++) {
      const sent = await graphql(apis[i % 2]!.url, apiKey, 'mutation ($c: ID!, $b: String!) { sendText(conversationId: $c, body: $b) { __typename } }', { c: conversationId, b: `update ${i}` });
      expect(sent.data.sendText.__typename).toBe('MutationSendTextSuccess');
    }
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === MESSAGES, { timeoutMs: 20_000 });
    expect(accepted).toHaveLength(MESSAGES);

    const [number] = sandbox.stats().numbers.filter((n) => n.phoneNumberId === DEV_TENANT.phoneNumberId);
    expect(number).toMatchObject({ accepted: MESSAGES, rejectedByThroughput: 0 });
    expect(number!.peakPerSecond).toBeLessThanOrEqual(RATE);
    // Every message got its wamid recorded, once.
    const recorded = await eventually(
      async () => (await owner()`select count(distinct wamid)::int as n from messages where direction = 'outbound' and wamid is not null`)[0]!.n as number,
      (n) => n === MESSAGES,
    );
    expect(recorded).toBe(MESSAGES);
  }, 40_000);
});
