// sendButtons and sendList hold WhatsApp's limits before anything is stored or sent: each limit crossed
// is a ValidationError naming the field at fault, and a message exactly at every limit goes through to
// the Meta sandbox as composed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../meta-sandbox/server.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, logIn, owner, type RunningApi } from '../support/stack.ts';

let desk: Desk;
let api: RunningApi;
let sandbox: Sandbox;
let session: { cookie: string };
let conversationId: string;

const CUSTOMER = { name: 'Lina', waId: '966501234567' };
const RESULT = '__typename ... on Error { code message } ... on ValidationError { field }';
const SEND_BUTTONS = `mutation ($c: ID!, $body: String!, $header: String, $footer: String, $buttons: [ReplyButtonInput!]!) {
  sendButtons(conversationId: $c, body: $body, header: $header, footer: $footer, buttons: $buttons) { ${RESULT} ... on MutationSendButtonsSuccess { reply { id } } } }`;
const SEND_LIST = `mutation ($c: ID!, $body: String!, $button: String!, $header: String, $footer: String, $sections: [ListSectionInput!]!) {
  sendList(conversationId: $c, body: $body, button: $button, header: $header, footer: $footer, sections: $sections) { ${RESULT} ... on MutationSendListSuccess { reply { id } } } }`;

const chars = (n: number, c = 'x') => c.repeat(n);
const buttons = (n: number, title = 'Yes') => Array.from({ length: n }, (_, i) => ({ id: `b${i}`, title }));
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, title: `Row ${from + i}` }));

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'interactive-limits', statusDelayMs: [5, 20] });
  ({ api, sandbox } = desk);
}, 60_000);
afterAll(() => desk?.stop());

beforeEach(async () => {
  const seeded = await desk.reset({ agentPresence: 'online' });
  session = await logIn(api.url, seeded.agent.email, seeded.agent.password);
  await desk.customerWrites(CUSTOMER, 'Which size do you have?');
  const inbox = await eventually(
    () => graphql(api.url, session, '{ conversations(first: 1) { edges { node { id assignee { name } } } } }'),
    (res) => res.data?.conversations.edges[0]?.node.assignee?.name === 'Ana',
  );
  conversationId = inbox.data.conversations.edges[0].node.id;
});

const outboundCount = async () => (await owner()`select count(*)::int as n from messages where direction = 'outbound'`)[0]!.n as number;

async function refusedFor(query: string, variables: Record<string, unknown>): Promise<{ __typename: string; field: string }> {
  const res = await graphql(api.url, session, query, { c: conversationId, ...variables });
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as any;
}

describe('sendButtons', () => {
  const ok = { body: 'Pick one', buttons: buttons(3) };
  it.each([
    ['no buttons', 'buttons', { buttons: [] }],
    ['a fourth button', 'buttons', { buttons: buttons(4) }],
    ['a title of 21 characters', 'buttons.0.title', { buttons: [{ id: 'a', title: chars(21) }] }],
    ['an empty title', 'buttons.0.title', { buttons: [{ id: 'a', title: '  ' }] }],
    ['an id of 257 characters', 'buttons.0.id', { buttons: [{ id: chars(257), title: 'Yes' }] }],
    ['two buttons with one id', 'buttons.1.id', { buttons: [{ id: 'a', title: 'Yes' }, { id: 'a', title: 'No' }] }],
    ['an empty body', 'body', { body: ' ' }],
    ['a body of 1025 characters', 'body', { body: chars(1025) }],
    ['a header of 61 characters', 'header', { header: chars(61) }],
    ['a footer of 61 characters', 'footer', { footer: chars(61) }],
  ])('refuses %s with a ValidationError on %s', async (_, field, change) => {
    expect(await refusedFor(SEND_BUTTONS, { ...ok, ...change })).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field });
    expect(await outboundCount()).toBe(0);
  });

  it('sends three buttons of 20-character titles, with a 1024-character body and 60-character header and footer', async () => {
    const at = { body: chars(1024, 'b'), header: chars(60, 'h'), footer: chars(60, 'f'), buttons: buttons(3, chars(20, 't')).map((b, i) => ({ ...b, id: `${i}${chars(255, 'i')}` })) };
    expect(await refusedFor(SEND_BUTTONS, at)).toMatchObject({ __typename: 'MutationSendButtonsSuccess' });
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: at.header },
        body: { text: at.body },
        footer: { text: at.footer },
        action: { buttons: at.buttons.map((b) => ({ type: 'reply', reply: b })) },
      },
    });
  });
});

describe('sendList', () => {
  const ok = { body: 'Our sizes', button: 'Choose', sections: [{ rows: rows(2) }] };
  it.each([
    ['no sections', 'sections', { sections: [] }],
    ['eleven sections', 'sections', { sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1, i) })) }],
    ['eleven rows in one section', 'sections', { sections: [{ rows: rows(11) }] }],
    ['eleven rows across two sections', 'sections', { sections: [{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(5, 6) }] }],
    ['a section without rows', 'sections', { sections: [{ rows: [] }] }],
    ['several sections, one without a title', 'sections', { sections: [{ title: 'A', rows: rows(1) }, { rows: rows(1, 1) }] }],
    ['a section title of 25 characters', 'sections.0.title', { sections: [{ title: chars(25), rows: rows(1) }] }],
    ['a row title of 25 characters', 'sections.0.rows.0.title', { sections: [{ rows: [{ id: 'a', title: chars(25) }] }] }],
    ['a row description of 73 characters', 'sections.0.rows.0.description', { sections: [{ rows: [{ id: 'a', title: 'A', description: chars(73) }] }] }],
    ['a row id of 201 characters', 'sections.0.rows.0.id', { sections: [{ rows: [{ id: chars(201), title: 'A' }] }] }],
    ['two rows with one id', 'sections.1.rows.0.id', { sections: [{ title: 'A', rows: rows(1) }, { title: 'B', rows: rows(1) }] }],
    ['a button label of 21 characters', 'button', { button: chars(21) }],
    ['an empty button label', 'button', { button: ' ' }],
    ['a body of 4097 characters', 'body', { body: chars(4097) }],
    ['a header of 61 characters', 'header', { header: chars(61) }],
    ['a footer of 61 characters', 'footer', { footer: chars(61) }],
  ])('refuses %s with a ValidationError on %s', async (_, field, change) => {
    expect(await refusedFor(SEND_LIST, { ...ok, ...change })).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field });
    expect(await outboundCount()).toBe(0);
  });

  it('sends ten rows in ten sections, every text at its longest', async () => {
    const sections = Array.from({ length: 10 }, (_, i) => ({
      title: `${i}${chars(23, 's')}`,
      rows: [{ id: `${i}${chars(199, 'r')}`, title: `${i}${chars(23, 't')}`, description: chars(72, 'd') }],
    }));
    const at = { body: chars(4096, 'b'), button: chars(20, 'c'), header: chars(60, 'h'), footer: chars(60, 'f'), sections };
    expect(await refusedFor(SEND_LIST, at)).toMatchObject({ __typename: 'MutationSendListSuccess' });
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', body: { text: at.body }, action: { button: at.button, sections } },
    });
  });
});
