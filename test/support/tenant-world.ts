// A tenant with something of everything, made through the paths a real tenant takes: customers write in
// through /ingest (texts, an image, a template's review), people sign in (the audit log), an admin adds
// departments, a person, labels, a canned reply, keys and an uploaded file, a manager notes, an agent
// replies. Then every global id in it is read back as its admin, by type, for journeys that aim at it
// from another tenant. Only the actors themselves come straight from the database (seedUser: a
// password), as everywhere in the journeys.
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import { contactEntry, imageMessage, messagesChange, requestWelcomeMessage, templateStatusChange, textMessage, webhookEnvelope, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import { eventually } from './eventually.ts';
import { graphql, ingest, logIn, seedDevTenant, seedUser, type Credentials } from './stack.ts';

export const PASSWORD = 'correct horse battery';

/** Which key an actor holds, by its scopes. */
export const KEY_SCOPES = {
  read: ['READ'],
  send: ['SEND'],
  readSend: ['READ', 'SEND'],
  admin: ['ADMIN'],
  all: ['READ', 'SEND', 'ADMIN'],
} as const;
export type KeyName = keyof typeof KEY_SCOPES;
export type ActorName = 'admin' | 'manager' | 'agent' | `key:${KeyName}`;
export const ACTORS: ActorName[] = ['admin', 'manager', 'agent', ...(Object.keys(KEY_SCOPES) as KeyName[]).map((k) => `key:${k}` as const)];

export interface WorldSpec {
  /** Lower case; every name, text and email of the tenant carries it, so a leak is found by grepping for it. */
  marker: string;
  name: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** Two customers, distinct from any other world's. */
  customers: [Sender, Sender];
}

export interface TenantWorld {
  spec: WorldSpec;
  tenantId: string;
  actors: Record<ActorName, Credentials>;
  /** Every global id read back as the admin, by GraphQL type ('Conversation', 'Session', …). */
  ids: Record<string, string[]>;
  /** Ids of the people, keys and sessions that act (not in `ids`: a journey aiming at its own tenant would lock itself out). */
  actorIds: Set<string>;
}

const MUTATION_ID = (field: string, payload: string) => `... on Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success { ${payload} { id } }`;

async function mutate(apiUrl: string, who: Credentials, field: string, args: string, payload: string, variables: Record<string, unknown> = {}): Promise<string> {
  const res = await graphql(apiUrl, who, `mutation { ${field}(${args}) { __typename ${MUTATION_ID(field, payload)} } }`, variables);
  const id = res.data?.[field]?.[payload]?.id;
  if (!id) throw new Error(`seeding ${field} failed: ${JSON.stringify(res)}`);
  return id;
}

let wamidSequence = 0;
function inboundBody(spec: WorldSpec, from: Sender, kind: 'text' | 'image' | 'welcome', body: string): string {
  wamidSequence += 1;
  const id = wamidFromParts({ counterpart: from.waId!, direction: 'inbound', hex: `WALL${String(wamidSequence).padStart(16, '0')}` });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const message =
    kind === 'text'
      ? textMessage({ from, id, timestamp, body })
      : kind === 'welcome'
        ? requestWelcomeMessage({ from, id, timestamp })
        : imageMessage({ from, id, timestamp, caption: body, mediaId: `${wamidSequence}000${spec.phoneNumberId}`, mimeType: 'image/jpeg', sha256: 'bm90IGEgcmVhbCBoYXNo' });
  return metaStringify(
    webhookEnvelope({
      wabaId: spec.wabaId,
      changes: [messagesChange({ phoneNumberId: spec.phoneNumberId, displayPhoneNumber: spec.displayPhoneNumber, contacts: [contactEntry(from)], messages: [message] })],
    }),
  );
}

function templateBody(spec: WorldSpec): string {
  return metaStringify(
    webhookEnvelope({
      wabaId: spec.wabaId,
      changes: [templateStatusChange({ event: 'APPROVED', templateId: Number(spec.wabaId.slice(-6)), templateName: `${spec.marker}_offer`, language: 'en', reason: null, category: 'MARKETING' })],
    }),
  );
}

/** A customer of the world writes (a text, or opens the chat: Meta's request_welcome); committed when it returns. */
export async function customerWrites(apiUrl: string, spec: WorldSpec, from: Sender, kind: 'text' | 'welcome', body = ''): Promise<void> {
  const answer = await ingest(apiUrl, [inboundBody(spec, from, kind, body)]);
  if (answer.results.some((r) => r.status !== 'committed')) throw new Error(`ingest failed: ${JSON.stringify(answer)}`);
}

async function upload(apiUrl: string, key: string, marker: string): Promise<string> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: 'mutation ($file: File!) { uploadMedia(file: $file) { __typename ... on MutationUploadMediaSuccess { media { id } } } }', variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([`%PDF-1.4 ${marker} price list`], { type: 'application/pdf' }), `${marker}-prices.pdf`);
  const res = await fetch(`${apiUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, accept: 'application/graphql-response+json' }, body: form });
  const json = (await res.json()) as any;
  const id = json.data?.uploadMedia?.media?.id;
  if (!id) throw new Error(`seeding uploadMedia failed: ${JSON.stringify(json)}`);
  return id;
}

const EVERYTHING = `{
  viewer { tenant { id } }
  users(first: 50, includeDeactivated: true) { edges { node { id } } }
  departments(first: 50) { edges { node { id } } }
  labels(first: 50) { edges { node { id } } }
  cannedResponses(first: 50) { edges { node { id } } }
  apiKeys(first: 50, includeRevoked: true) { edges { node { id } } }
  phoneNumbers { id }
  auditLog(first: 100) { edges { node { id } } }
  conversations(first: 20) { edges { node { id contact { id }
    messages(first: 20) { edges { node { id content { ... on MediaContent { media { id } } } } } }
    notes(first: 20) { edges { node { id } } } } } }
}`;

/** Every string in `value` that decodes as a global id, by its type. */
function globalIdsIn(value: unknown, into: Record<string, Set<string>>): void {
  if (typeof value === 'string') {
    const typename = typeOfGlobalId(value);
    if (typename) (into[typename] ??= new Set()).add(value);
  } else if (Array.isArray(value)) value.forEach((v) => globalIdsIn(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => globalIdsIn(v, into));
}

/** Seeds one tenant's world through the api at `apiUrl` and reads its ids back. */
export async function seedWorld(apiUrl: string, spec: WorldSpec): Promise<TenantWorld> {
  const { marker } = spec;
  const cap = marker[0]!.toUpperCase() + marker.slice(1);
  const { tenantId } = await seedDevTenant({ name: spec.name, wabaId: spec.wabaId, phoneNumberId: spec.phoneNumberId, displayPhoneNumber: spec.displayPhoneNumber });
  const people = {
    admin: await seedUser(tenantId, { email: `boss@${marker}.test`, name: `${cap} Boss`, role: 'admin' }),
    manager: await seedUser(tenantId, { email: `mia@${marker}.test`, name: `${cap} Manager`, role: 'manager' }),
    agent: await seedUser(tenantId, { email: `ana@${marker}.test`, name: `${cap} Agent`, role: 'agent' }),
    spare: await seedUser(tenantId, { email: `sam@${marker}.test`, name: `${cap} Spare`, role: 'agent' }),
  };
  const sessions = {
    admin: await logIn(apiUrl, people.admin.email, PASSWORD),
    manager: await logIn(apiUrl, people.manager.email, PASSWORD),
    agent: await logIn(apiUrl, people.agent.email, PASSWORD),
    spare: await logIn(apiUrl, people.spare.email, PASSWORD),
  };
  const admin = sessions.admin;
  // A failed sign-in, recorded in the audit log after its answer.
  await graphql(apiUrl, null, 'mutation ($e: String!) { logIn(input: { email: $e, password: "not the password" }) { __typename } }', { e: people.spare.email });

  const support = await mutate(apiUrl, admin, 'createDepartment', `name: "${cap} Support", isDefault: true`, 'department');
  await mutate(apiUrl, admin, 'createDepartment', `name: "${cap} Sales", strategy: BALANCED`, 'department');
  for (const userId of [people.agent.id, people.spare.id]) {
    await graphql(apiUrl, admin, 'mutation ($d: ID!, $u: ID!) { setDepartmentMember(departmentId: $d, userId: $u, member: true) { __typename } }', {
      d: support,
      u: globalIdOf('User', userId),
    });
  }
  await graphql(apiUrl, admin, `mutation { createUser(email: "vic@${marker}.test", name: "${cap} Invitee", role: AGENT) { __typename } }`);

  const keys = {} as Record<KeyName, string>;
  for (const [name, scopes] of Object.entries(KEY_SCOPES) as [KeyName, readonly string[]][]) {
    const res = await graphql(apiUrl, admin, `mutation ($n: String!, $s: [ApiKeyScope!]!) { createApiKey(input: { name: $n, scopes: $s }) { ... on MutationCreateApiKeySuccess { secret apiKey { id } } } }`, {
      n: `${marker}-${name}`,
      s: scopes,
    });
    keys[name] = res.data.createApiKey.secret;
  }
  await graphql(apiUrl, admin, `mutation { createApiKey(input: { name: "${marker}-spare", scopes: [READ] }) { __typename } }`);

  await mutate(apiUrl, admin, 'createLabel', `name: "${marker}-vip", color: "#aa0000"`, 'label');
  await mutate(apiUrl, admin, 'createLabel', `name: "${marker}-refund"`, 'label');
  await mutate(apiUrl, admin, 'createCannedResponse', `shortcut: "${marker}_hi", title: "${cap} greeting", body: "Hello from ${cap}"`, 'cannedResponse');

  const [first, second] = spec.customers;
  const bodies = [
    inboundBody(spec, first, 'text', `${marker} order 1 is late`),
    inboundBody(spec, first, 'text', `${marker} still waiting`),
    inboundBody(spec, second, 'image', `${marker} broken cup`),
    templateBody(spec),
  ];
  for (const body of bodies) {
    const answer = await ingest(apiUrl, [body]);
    if (answer.results.some((r) => r.status !== 'committed')) throw new Error(`seeding ingest failed: ${JSON.stringify(answer)}`);
  }
  await upload(apiUrl, keys.all, marker);

  const inbox = await graphql(apiUrl, admin, '{ conversations(first: 5) { edges { node { id contact { waId } } } } }');
  const conversationOf = (waId: string) => inbox.data.conversations.edges.find((e: any) => e.node.contact.waId === waId).node.id as string;
  const [one, two] = [conversationOf(first.waId!), conversationOf(second.waId!)];
  const labels = (await graphql(apiUrl, admin, '{ labels(first: 5) { edges { node { id } } } }')).data.labels.edges.map((e: any) => e.node.id);
  await graphql(apiUrl, admin, 'mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u) { __typename } }', { c: one, u: globalIdOf('User', people.agent.id) });
  await graphql(apiUrl, admin, 'mutation ($c: ID!, $l: ID!) { labelConversation(conversationId: $c, labelId: $l) { __typename } }', { c: one, l: labels[0] });
  await mutate(apiUrl, sessions.manager, 'addNote', `conversationId: "${one}", body: "${cap} note: a regular"`, 'note');
  await mutate(apiUrl, sessions.manager, 'addNote', `conversationId: "${two}", body: "${cap} note: sent a photo"`, 'note');
  await mutate(apiUrl, sessions.agent, 'sendText', `conversationId: "${one}", body: "${cap} reply: on its way"`, 'reply');

  // A privacy request (ACCESS, which only reads), finished before anything is compared.
  const privacy = await graphql(apiUrl, admin, 'mutation ($w: String!) { createPrivacyRequest(input: { kind: ACCESS, subject: { waId: $w } }) { ... on MutationCreatePrivacyRequestSuccess { privacyRequest { id } } } }', { w: second.waId });
  await eventually(
    () => graphql(apiUrl, admin, 'query ($id: ID!) { node(id: $id) { ... on PrivacyRequest { steps { action } } } }', { id: privacy.data.createPrivacyRequest.privacyRequest.id }),
    (res) => ['notified', 'nothing_to_notify', 'notification_failed'].includes(res.data?.node?.steps.at(-1)?.action),
    { timeoutMs: 15_000 },
  );

  // Each person's own sessions, and everything else the admin reads.
  const found: Record<string, Set<string>> = {};
  globalIdsIn(privacy.data, found);
  for (const who of Object.values(sessions)) globalIdsIn((await graphql(apiUrl, who, '{ mySessions { id } }')).data, found);
  const all = await eventually(
    () => graphql(apiUrl, admin, EVERYTHING),
    // The failed sign-in is written after its answer.
    (res) => !res.errors && res.data.auditLog.edges.length >= 5,
  );
  globalIdsIn(all.data, found);

  const keyIds = (await graphql(apiUrl, admin, '{ apiKeys(first: 50) { edges { node { id name } } } }')).data.apiKeys.edges.map((e: any) => e.node);
  const actorIds = new Set<string>([
    ...['admin', 'manager', 'agent'].map((r) => globalIdOf('User', people[r as 'admin'].id)),
    ...keyIds.filter((k: any) => Object.keys(KEY_SCOPES).some((name) => k.name === `${marker}-${name}`)).map((k: any) => k.id as string),
  ]);
  for (const role of ['admin', 'manager', 'agent'] as const) {
    for (const s of (await graphql(apiUrl, sessions[role], '{ mySessions { id } }')).data.mySessions) actorIds.add(s.id);
  }
  const ids = Object.fromEntries(Object.entries(found).map(([type, set]) => [type, [...set].sort()]));
  return {
    spec,
    tenantId,
    actors: {
      admin,
      manager: sessions.manager,
      agent: sessions.agent,
      ...(Object.fromEntries(Object.entries(keys).map(([name, secret]) => [`key:${name}`, secret])) as Record<`key:${KeyName}`, string>),
    },
    ids,
    actorIds,
  };
}

export function globalIdOf(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

/** The type a global id names (Pothos encodes base64 "Type:id"), or null for anything else. */
export function typeOfGlobalId(value: string): string | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return null;
  const match = /^([A-Z][A-Za-z]+):([0-9a-f-]{36})$/.exec(Buffer.from(value, 'base64').toString('utf8'));
  return match ? match[1]! : null;
}

/** The row id inside a global id. */
export function rowIdOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}
