// Onboarding, end to end: a platform operator creates a tenant, its new admin signs in and connects a
// WhatsApp number with a code from Embedded Signup (the Meta sandbox issues it as the browser flow
// would); the number is CONNECTED, its business token is stored sealed and nothing in the API returns
// it, and a reply goes out through Meta with it. Then the failures: an expired code and a wrong PIN say
// which step failed and what Meta said, leave the number pending, and a second run completes it; a
// WABA held by another tenant cannot be claimed, and asking about one is answered exactly as asking
// about one that does not exist; agents and managers cannot connect numbers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '@switchboard/db/embedded';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { accessTokenAad } from '@switchboard/api/vault/sealed-token-repository';
import { createVault, parseVaultKeys } from '@switchboard/api/vault/vault';
import { devAppId, type Sandbox } from '../meta-sandbox/server.ts';
import { startSandbox } from '../support/sandbox.ts';
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import { contactEntry, messagesChange, textMessage, webhookEnvelope } from '../meta-sandbox/payloads.ts';
import { META_APP_SECRET } from '../support/edge.ts';
import { eventually } from '../support/eventually.ts';
import {
  graphql,
  ingest,
  logIn,
  owner,
  resetDatabase,
  seedUser,
  startApi,
  TEST_VAULT_KEY,
  type Credentials,
  type RunningApi,
} from '../support/stack.ts';

let api: RunningApi;
let sandbox: Sandbox;
/** Added to the sandbox's clock, to let signup codes expire. */
let skewMs = 0;
let sandboxUrl: string;
let operator: { cookie: string };

const OPERATOR = { email: 'ops@switchboard.test', name: 'Platform Ops', password: 'operator passphrase 1' };

beforeAll(async () => {
  const sandboxPort = await freePort();
  sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  api = await startApi({
    metaGraphUrl: sandboxUrl,
    metaApp: { appId: devAppId, appSecret: META_APP_SECRET },
    instanceId: 'onboarding',
  });
  sandbox = await startSandbox({
    port: sandboxPort,
    // Customers are simulated by /ingest; no webhooks go out.
    now: () => Date.now() + skewMs,
  });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await sandbox?.stop();
});

beforeEach(async () => {
  await resetDatabase();
  sandbox.clearMessages();
  skewMs = 0;
  await owner()`
    insert into operators (email, name, password_hash)
    values (${OPERATOR.email}, ${OPERATOR.name}, ${await hashPassword(OPERATOR.password)})`;
  operator = await logIn(api.url, OPERATOR.email, OPERATOR.password);
});

// The sandbox keeps its businesses for the whole file: every test signs up its own WABA and number.
let serial = 0;
function newBusiness() {
  serial += 1;
  const n = String(serial).padStart(4, '0');
  return { wabaId: `41000000000${n}`, phoneNumberId: `42000000000${n}`, businessId: `43000000000${n}` };
}
type Business = ReturnType<typeof newBusiness>;

function signupCode(business: Business): string {
  return sandbox.issueSignupCode({ wabaId: business.wabaId, phoneNumberIds: [business.phoneNumberId], businessId: business.businessId }).code;
}

const createTenantMutation = `
  mutation ($input: CreateTenantInput!) {
    createTenant(input: $input) {
      __typename
      ... on MutationCreateTenantSuccess { tenant { id name } admin { email name role } generatedPassword }
      ... on ValidationError { code field message }
      ... on ConflictError { code message }
    }
  }`;

async function createTenant(name: string, admin: { email: string; name: string; password?: string }) {
  const res = await graphql(api.url, operator, createTenantMutation, { input: { name, admin } });
  expect(res.errors).toBeUndefined();
  return res.data.createTenant;
}

/** A tenant made by the operator, with its admin signed in. */
async function tenantWithAdmin(name: string, email: string) {
  const created = await createTenant(name, { email, name: `${name} Admin`, password: 'admin passphrase 1' });
  expect(created.__typename).toBe('MutationCreateTenantSuccess');
  const tenantId = created.tenant.id as string;
  return { tenantId, tenantUuid: uuidOf(tenantId), admin: await logIn(api.url, email, 'admin passphrase 1') };
}

/** The database id inside a global id ("Tenant:<uuid>", base64). */
function uuidOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}

const numberFields = 'phoneNumberId wabaId displayPhoneNumber verifiedName status statusReason qualityRating throughputPerSecond defaultDepartment { name }';
const connectMutation = `
  mutation ($input: ConnectWhatsAppNumberInput!) {
    connectWhatsAppNumber(input: $input) {
      __typename
      ... on MutationConnectWhatsAppNumberSuccess { phoneNumber { ${numberFields} } }
      ... on OnboardingStepError { code step metaCode message }
      ... on ValidationError { code field message }
      ... on ConflictError { code message }
      ... on NotFoundError { code message }
    }
  }`;

async function connect(who: Credentials, input: Record<string, unknown>) {
  return graphql(api.url, who, connectMutation, { input });
}

async function phoneNumbers(who: Credentials, tenantId?: string) {
  const res = await graphql(api.url, who, `query ($t: ID) { phoneNumbers(tenantId: $t) { ${numberFields} } }`, { t: tenantId });
  expect(res.errors).toBeUndefined();
  return res.data.phoneNumbers;
}

function connectedNumber(business: Business) {
  return {
    phoneNumberId: business.phoneNumberId,
    wabaId: business.wabaId,
    displayPhoneNumber: `1555${business.phoneNumberId.slice(-7)}`,
    verifiedName: `Sandbox business ${business.wabaId.slice(-4)}`,
    status: 'CONNECTED',
    statusReason: null,
    qualityRating: 'GREEN',
    throughputPerSecond: 80,
    defaultDepartment: { name: 'Support' },
  };
}

/** Meta's answer when reading the numbers of a WABA it does not know (error 100, subcode 33). */
function unknownAccount(wabaId: string) {
  return {
    __typename: 'OnboardingStepError',
    code: 'ONBOARDING_STEP_FAILED',
    step: 'FETCH_NUMBER',
    metaCode: 100,
    message:
      `Reading the phone number from the WhatsApp Business Account failed: Unsupported get request. Object with ID '${wabaId}' does not exist, ` +
      'cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api.',
  };
}

async function storedAccount(wabaId: string) {
  const rows = await owner()<{ tenantId: string; id: string; accessTokenSealed: string | null; accessTokenKeyId: string | null; businessId: string | null }[]>`
    select tenant_id, id, access_token_sealed, access_token_key_id, business_id from whatsapp_accounts where waba_id = ${wabaId}`;
  return rows;
}

describe('onboarding a tenant and its WhatsApp number', () => {
  it('lets an operator create a tenant whose admin connects a number that then carries replies', async () => {
    const created = await createTenant('Blue Bottle', { email: 'Olivia@BlueBottle.test', name: 'Olivia' });
    expect(created).toMatchObject({
      __typename: 'MutationCreateTenantSuccess',
      tenant: { name: 'Blue Bottle' },
      admin: { email: 'olivia@bluebottle.test', name: 'Olivia', role: 'ADMIN' },
    });
    // No password given: one is generated and shown this once.
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const tenantId: string = created.tenant.id;

    const listed = await graphql(api.url, operator, '{ tenants(first: 10) { edges { node { id name status peopleCount phoneNumberCount connectedPhoneNumberCount } } } }');
    expect(listed.errors).toBeUndefined();
    expect(listed.data.tenants.edges.map((e: any) => e.node)).toEqual([
      { id: tenantId, name: 'Blue Bottle', status: 'ONBOARDING', peopleCount: 1, phoneNumberCount: 0, connectedPhoneNumberCount: 0 },
    ]);

    const admin = await logIn(api.url, 'olivia@bluebottle.test', created.generatedPassword);
    const departments = await graphql(api.url, admin, '{ departments { edges { node { name isDefault members { email } } } } }');
    expect(departments.data.departments.edges.map((e: any) => e.node)).toEqual([{ name: 'Support', isDefault: true, members: [{ email: 'olivia@bluebottle.test' }] }]);

    const business = newBusiness();
    const connected = await connect(admin, { code: signupCode(business), wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, businessId: business.businessId, pin: '123456' });
    expect(connected.errors).toBeUndefined();
    expect(connected.data.connectWhatsAppNumber).toEqual({ __typename: 'MutationConnectWhatsAppNumberSuccess', phoneNumber: connectedNumber(business) });
    expect(await phoneNumbers(admin)).toEqual([connectedNumber(business)]);
    expect(await phoneNumbers(operator, tenantId)).toEqual([connectedNumber(business)]);
    // Meta now has the number registered for Cloud API.
    expect(sandbox.updatePhoneNumber(business.phoneNumberId, {})).toMatchObject({ status: 'CONNECTED', platform_type: 'CLOUD_API' });

    const after = await graphql(api.url, operator, `query ($id: ID!) { node(id: $id) { ... on Tenant { status phoneNumberCount connectedPhoneNumberCount } } }`, { id: tenantId });
    expect(after.data.node).toEqual({ status: 'ACTIVE', phoneNumberCount: 1, connectedPhoneNumberCount: 1 });

    // A customer writes to the new number; the admin's reply leaves through Meta with the business token.
    const customer = { name: 'Kai', waId: '4915112345678' };
    const inbound = metaStringify(
      webhookEnvelope({
        wabaId: business.wabaId,
        changes: [
          messagesChange({
            phoneNumberId: business.phoneNumberId,
            displayPhoneNumber: `1555${business.phoneNumberId.slice(-7)}`,
            contacts: [contactEntry(customer)],
            messages: [textMessage({ from: customer, id: `wamid.onboarding-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), body: 'Are you open today?' })],
          }),
        ],
      }),
    );
    expect((await ingest(api.url, [inbound])).status).toBe(200);
    sandbox.openWindow({ phoneNumberId: business.phoneNumberId, waId: customer.waId });
    const conversations = await eventually(
      async (): Promise<any[]> => (await graphql(api.url, admin, '{ conversations(first: 5) { edges { node { id department { name } } } } }')).data?.conversations.edges ?? [],
      (edges) => edges.length === 1,
    );
    expect(conversations.map((e: any) => e.node.department)).toEqual([{ name: 'Support' }]);
    const sent = await graphql(
      api.url,
      admin,
      'mutation ($c: ID!) { sendText(conversationId: $c, body: "Yes, until 6pm.") { __typename ... on Error { code message } } }',
      { c: conversations[0].node.id },
    );
    expect(sent.data.sendText).toEqual({ __typename: 'MutationSendTextSuccess' });
    const accepted = await eventually(async () => sandbox.messages({ phoneNumberId: business.phoneNumberId }).accepted, (a) => a.length === 1);
    expect(accepted.map((m) => m.body)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: `+${customer.waId}`, type: 'text', text: { body: 'Yes, until 6pm.', preview_url: false } },
    ]);

    // The token Meta received is stored only sealed (AES-256-GCM under the api's key id) and opens to it.
    const token = accepted[0]!.accessToken;
    expect(token).toMatch(/^EAA/);
    const [account] = await storedAccount(business.wabaId);
    expect(account).toMatchObject({ tenantId: uuidOf(tenantId), businessId: business.businessId, accessTokenKeyId: 'test1' });
    expect(account!.accessTokenSealed).toMatch(/^v1\.test1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(account!.accessTokenSealed).not.toContain(token);
    const keys = parseVaultKeys(TEST_VAULT_KEY);
    if (!keys.ok) throw new Error(keys.problem);
    expect(createVault(keys.keys).open(account!.accessTokenSealed!, accessTokenAad(account!.tenantId, account!.id))).toBe(token);

    // And the app is subscribed to the WABA's webhooks, as Meta sees it.
    const subscribed = await fetch(`${sandboxUrl}/v24.0/${business.wabaId}/subscribed_apps`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await subscribed.json()) as any).data.map((a: any) => a.whatsapp_business_api_data.id)).toEqual([devAppId]);

    // Nothing the API answered carries the token, and no field of the schema could.
    expect(JSON.stringify([connected, await phoneNumbers(admin), listed])).not.toContain(token);
    const schema = await graphql(api.url, admin, '{ __schema { types { name fields { name } inputFields { name } } } }');
    const names = schema.data.__schema.types.flatMap((t: any) => [...(t.fields ?? []), ...(t.inputFields ?? [])].map((f: any) => `${t.name}.${f.name}`));
    expect(names.filter((n: string) => /token|sealed/i.test(n))).toEqual([]);
  });

  it('names the failed step with what Meta said, keeps the number pending, and completes on a second run', async () => {
    const { tenantUuid, admin } = await tenantWithAdmin('Ritual', 'ana@ritual.test');
    const business = newBusiness();
    const input = { wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, businessId: business.businessId, pin: '123456' };

    // A code is good for 30 seconds.
    const stale = signupCode(business);
    skewMs = 31_000;
    const expired = await connect(admin, { ...input, code: stale });
    expect(expired.data.connectWhatsAppNumber).toEqual({
      __typename: 'OnboardingStepError',
      code: 'ONBOARDING_STEP_FAILED',
      step: 'EXCHANGE_CODE',
      metaCode: 100,
      message:
        'Trading the signup code for a business token failed: This authorization code has expired. ' +
        'Start Embedded Signup again for a new code: codes work once and only for 30 seconds.',
    });
    expect(await phoneNumbers(admin)).toEqual([]);
    expect(await storedAccount(business.wabaId)).toEqual([]);

    // The business set a two-step PIN on the number earlier; registering with another one fails.
    sandbox.updatePhoneNumber(business.phoneNumberId, { twoStepPin: '246810' });
    const refusal = 'Registering the number for the WhatsApp Cloud API failed: (#133005) Two step verification PIN Mismatch (Two-step verification PIN incorrect.)';
    const wrongPin = await connect(admin, { ...input, code: signupCode(business) });
    expect(wrongPin.data.connectWhatsAppNumber).toEqual({ __typename: 'OnboardingStepError', code: 'ONBOARDING_STEP_FAILED', step: 'REGISTER_NUMBER', metaCode: 133005, message: refusal });
    expect(await phoneNumbers(admin)).toEqual([{ ...connectedNumber(business), status: 'PENDING_REGISTRATION', statusReason: refusal, defaultDepartment: null }]);
    expect(sandbox.updatePhoneNumber(business.phoneNumberId, {})).toMatchObject({ status: 'PENDING' });

    // A PIN that is not 6 digits never reaches Meta.
    const malformed = await connect(admin, { ...input, pin: '24681' });
    expect(malformed.data.connectWhatsAppNumber).toEqual({
      __typename: 'ValidationError',
      code: 'INVALID_INPUT',
      field: 'pin',
      message: 'The two-step verification PIN is exactly 6 digits.',
    });

    // The token from the failed run was kept (sealed): the retry needs only the right PIN.
    const retried = await connect(admin, { ...input, pin: '246810' });
    expect(retried.data.connectWhatsAppNumber).toEqual({ __typename: 'MutationConnectWhatsAppNumberSuccess', phoneNumber: connectedNumber(business) });
    expect(sandbox.updatePhoneNumber(business.phoneNumberId, {})).toMatchObject({ status: 'CONNECTED' });

    // Running it again, with a fresh code, changes nothing but the stored token.
    const before = await storedAccount(business.wabaId);
    const again = await connect(admin, { ...input, pin: '246810', code: signupCode(business) });
    expect(again.data.connectWhatsAppNumber).toEqual({ __typename: 'MutationConnectWhatsAppNumberSuccess', phoneNumber: connectedNumber(business) });
    const afterRun = await storedAccount(business.wabaId);
    expect(afterRun).toHaveLength(1);
    expect(afterRun[0]!.id).toBe(before[0]!.id);
    expect(afterRun[0]!.accessTokenSealed).not.toBe(before[0]!.accessTokenSealed);
    expect(await owner()`select 1 from phone_numbers where tenant_id = ${tenantUuid}`).toHaveLength(1);

    // With no code and nothing stored for the account, there is nothing to retry with.
    const unknown = newBusiness();
    sandbox.issueSignupCode({ wabaId: unknown.wabaId, phoneNumberIds: [unknown.phoneNumberId], businessId: unknown.businessId });
    const noCode = await connect(admin, { wabaId: unknown.wabaId, phoneNumberId: unknown.phoneNumberId, pin: '123456' });
    expect(noCode.data.connectWhatsAppNumber).toMatchObject({ __typename: 'ValidationError', field: 'code' });
  });

  it('connects a second number with the stored token, and a fresh code re-authorises the whole account', async () => {
    const { tenantId, tenantUuid, admin } = await tenantWithAdmin('Counter Culture', 'admin@counterculture.test');
    const business = newBusiness();
    // Listed after the first: numbers are ordered by display number (the last 7 digits of the id here).
    const second = { ...business, phoneNumberId: `42000000100${business.phoneNumberId.slice(-4)}` };
    const code = sandbox.issueSignupCode({ wabaId: business.wabaId, phoneNumberIds: [business.phoneNumberId, second.phoneNumberId], businessId: business.businessId }).code;
    await connect(admin, { code, wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, pin: '123456' });
    // The account's token is stored: another of its numbers needs no new signup.
    const another = await connect(admin, { wabaId: business.wabaId, phoneNumberId: second.phoneNumberId, pin: '123456' });
    expect(another.data.connectWhatsAppNumber).toEqual({ __typename: 'MutationConnectWhatsAppNumberSuccess', phoneNumber: connectedNumber(second) });

    // Meta stops accepting the token; the sender flags every number of the account (error 190).
    await owner()`
      update phone_numbers set status = 'needs_reauthorisation', status_reason = 'The access token has expired.'
       where tenant_id = ${tenantUuid}`;
    const overview = `query ($id: ID!) { node(id: $id) { ... on Tenant { status connectedPhoneNumberCount } } }`;
    expect((await graphql(api.url, operator, overview, { id: tenantId })).data.node).toEqual({ status: 'NEEDS_ATTENTION', connectedPhoneNumberCount: 0 });

    await connect(admin, { code: signupCode(business), wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, pin: '123456' });
    expect((await phoneNumbers(admin)).map((n: any) => [n.phoneNumberId, n.status, n.statusReason])).toEqual([
      [business.phoneNumberId, 'CONNECTED', null],
      [second.phoneNumberId, 'CONNECTED', null],
    ]);
    expect((await graphql(api.url, operator, overview, { id: tenantId })).data.node).toEqual({ status: 'ACTIVE', connectedPhoneNumberCount: 2 });
  });

  it("never moves a WABA or number another tenant holds, whoever asks", async () => {
    const first = await tenantWithAdmin('First', 'admin@first.test');
    const second = await tenantWithAdmin('Second', 'admin@second.test');
    const business = newBusiness();
    const input = { wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, pin: '123456' };
    expect((await connect(first.admin, { ...input, code: signupCode(business) })).data.connectWhatsAppNumber.__typename).toBe('MutationConnectWhatsAppNumberSuccess');

    // Even with a code that reaches the WABA at Meta, the answer is Meta's for an account it does not know.
    const claimed = await connect(second.admin, { ...input, code: signupCode(business) });
    expect(claimed.data.connectWhatsAppNumber).toEqual(unknownAccount(business.wabaId));
    const byOperator = await connect(operator, { ...input, code: signupCode(business), tenantId: second.tenantId });
    expect(byOperator.data.connectWhatsAppNumber).toEqual(unknownAccount(business.wabaId));
    expect(await phoneNumbers(second.admin)).toEqual([]);
    expect(await phoneNumbers(first.admin)).toEqual([connectedNumber(business)]);
    expect((await storedAccount(business.wabaId)).map((a) => a.tenantId)).toEqual([first.tenantUuid]);

    // An operator connects a number for a tenant they name, and must name one.
    const own = newBusiness();
    const forSecond = await connect(operator, { wabaId: own.wabaId, phoneNumberId: own.phoneNumberId, pin: '654321', code: signupCode(own), tenantId: second.tenantId });
    expect(forSecond.data.connectWhatsAppNumber).toEqual({ __typename: 'MutationConnectWhatsAppNumberSuccess', phoneNumber: connectedNumber(own) });
    expect(await phoneNumbers(second.admin)).toEqual([connectedNumber(own)]);
    const unnamed = await connect(operator, { wabaId: own.wabaId, phoneNumberId: own.phoneNumberId, pin: '654321' });
    expect(unnamed.data.connectWhatsAppNumber).toMatchObject({ __typename: 'ValidationError', field: 'tenantId' });

    // A tenant admin naming another tenant finds nothing there.
    const elsewhere = await connect(first.admin, { wabaId: own.wabaId, phoneNumberId: own.phoneNumberId, pin: '654321', tenantId: second.tenantId });
    expect(elsewhere.data.connectWhatsAppNumber).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Tenant was not found.' });
  });

  describe('says nothing about other tenants', () => {
    /** The GraphQL answer as the caller reads it, with the ids that differ by design made alike. */
    const seen = (answer: unknown, ids: Record<string, string>) =>
      Object.entries(ids).reduce((text, [id, placeholder]) => text.replaceAll(id, placeholder), JSON.stringify(answer));

    it('answers a WABA another tenant holds exactly as one Meta does not know, even to a code that reaches it', async () => {
      const first = await tenantWithAdmin('First', 'admin@first.test');
      const second = await tenantWithAdmin('Second', 'admin@second.test');
      const held = newBusiness();
      await connect(first.admin, { code: signupCode(held), wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });

      // The second tenant's own business, whose code reaches only its own WABA.
      const own = newBusiness();
      const nowhere = newBusiness(); // never signed up: Meta does not know its WABA
      const heldAnswer = await connect(second.admin, { code: signupCode(held), wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const unknownAnswer = await connect(second.admin, { code: signupCode(own), wabaId: nowhere.wabaId, phoneNumberId: nowhere.phoneNumberId, pin: '123456' });
      expect(unknownAnswer.data.connectWhatsAppNumber).toMatchObject({ __typename: 'OnboardingStepError', step: 'FETCH_NUMBER', metaCode: 100 });
      expect(seen(heldAnswer, { [held.wabaId]: 'WABA' })).toBe(seen(unknownAnswer, { [nowhere.wabaId]: 'WABA' }));
      expect(await phoneNumbers(second.admin)).toEqual([]);
      expect((await storedAccount(held.wabaId)).map((a) => a.tenantId)).toEqual([first.tenantUuid]);
    });

    it('answers a code that does not reach the WABA the same whether another tenant holds it or nobody does', async () => {
      const first = await tenantWithAdmin('First', 'admin@first.test');
      const second = await tenantWithAdmin('Second', 'admin@second.test');
      const held = newBusiness();
      await connect(first.admin, { code: signupCode(held), wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const free = newBusiness();
      signupCode(free); // known to Meta, held by no tenant

      const own = newBusiness();
      const heldAnswer = await connect(second.admin, { code: signupCode(own), wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const freeAnswer = await connect(second.admin, { code: signupCode(own), wabaId: free.wabaId, phoneNumberId: free.phoneNumberId, pin: '123456' });
      expect(freeAnswer.data.connectWhatsAppNumber).toMatchObject({ __typename: 'OnboardingStepError', step: 'FETCH_NUMBER' });
      expect(seen(heldAnswer, { [held.wabaId]: 'WABA' })).toBe(seen(freeAnswer, { [free.wabaId]: 'WABA' }));

      // Without a code, neither has a stored token to retry with.
      const heldRetry = await connect(second.admin, { wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const freeRetry = await connect(second.admin, { wabaId: free.wabaId, phoneNumberId: free.phoneNumberId, pin: '123456' });
      expect(heldRetry.data.connectWhatsAppNumber).toMatchObject({ __typename: 'ValidationError', field: 'code' });
      expect(JSON.stringify(heldRetry)).toBe(JSON.stringify(freeRetry));
    });

    it("answers another tenant's number named under one's own WABA as a number that does not exist", async () => {
      const first = await tenantWithAdmin('First', 'admin@first.test');
      const second = await tenantWithAdmin('Second', 'admin@second.test');
      const held = newBusiness();
      await connect(first.admin, { code: signupCode(held), wabaId: held.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const own = newBusiness();
      const nowhere = newBusiness();

      const heldAnswer = await connect(second.admin, { code: signupCode(own), wabaId: own.wabaId, phoneNumberId: held.phoneNumberId, pin: '123456' });
      const unknownAnswer = await connect(second.admin, { code: signupCode(own), wabaId: own.wabaId, phoneNumberId: nowhere.phoneNumberId, pin: '123456' });
      expect(unknownAnswer.data.connectWhatsAppNumber).toMatchObject({ __typename: 'OnboardingStepError', step: 'FETCH_NUMBER', metaCode: null });
      expect(seen(heldAnswer, { [held.phoneNumberId]: 'NUMBER' })).toBe(seen(unknownAnswer, { [nowhere.phoneNumberId]: 'NUMBER' }));
      expect(await phoneNumbers(first.admin)).toEqual([connectedNumber(held)]);
    });
  });

  it("lets admins set a number's sending pace and the department its conversations wait in", async () => {
    const { tenantUuid, admin } = await tenantWithAdmin('Onyx', 'admin@onyx.test');
    const business = newBusiness();
    await connect(admin, { code: signupCode(business), wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, pin: '123456' });
    const numberId: string = (await graphql(api.url, admin, '{ phoneNumbers { id } }')).data.phoneNumbers[0].id;
    const created = await graphql(api.url, admin, 'mutation { createDepartment(name: "Wholesale") { ... on MutationCreateDepartmentSuccess { department { id } } } }');
    const wholesale: string = created.data.createDepartment.department.id;

    const update = (who: Credentials, args: Record<string, unknown>) =>
      graphql(
        api.url,
        who,
        `mutation ($id: ID!, $tps: Int, $d: ID) {
           updatePhoneNumber(id: $id, throughputPerSecond: $tps, defaultDepartmentId: $d) {
             __typename
             ... on MutationUpdatePhoneNumberSuccess { phoneNumber { throughputPerSecond defaultDepartment { name } } }
             ... on Error { code message }
             ... on ValidationError { field }
           }
         }`,
        { id: numberId, ...args },
      );
    expect((await update(admin, { tps: 20, d: wholesale })).data.updatePhoneNumber).toEqual({
      __typename: 'MutationUpdatePhoneNumberSuccess',
      phoneNumber: { throughputPerSecond: 20, defaultDepartment: { name: 'Wholesale' } },
    });
    // Only what is given changes; an explicit null clears the department (the tenant's default applies).
    expect((await update(admin, { d: null })).data.updatePhoneNumber.phoneNumber).toEqual({ throughputPerSecond: 20, defaultDepartment: null });
    expect((await update(admin, {})).data.updatePhoneNumber.phoneNumber).toEqual({ throughputPerSecond: 20, defaultDepartment: null });
    expect((await update(admin, { tps: 1001 })).data.updatePhoneNumber).toEqual({
      __typename: 'ValidationError',
      code: 'INVALID_INPUT',
      field: 'throughputPerSecond',
      message: 'Throughput is 1 to 1000 messages per second.',
    });
    const nowhere = Buffer.from('Department:00000000-0000-4000-8000-000000000000').toString('base64');
    expect((await update(admin, { d: nowhere })).data.updatePhoneNumber).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Department was not found.' });
    const [row] = await owner()<{ throughputPerSecond: number; defaultDepartmentId: string | null }[]>`
      select throughput_per_second, default_department_id from phone_numbers where tenant_id = ${tenantUuid}`;
    expect(row).toEqual({ throughputPerSecond: 20, defaultDepartmentId: null });

    const manager = await seedUser(tenantUuid, { email: 'manager@onyx.test', role: 'manager' });
    const refused = await update(await logIn(api.url, manager.email, manager.password), { tps: 5 });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('keeps onboarding to operators and admins, and refuses a half-made tenant', async () => {
    const { tenantUuid, admin } = await tenantWithAdmin('Verve', 'admin@verve.test');
    const agent = await seedUser(tenantUuid, { email: 'agent@verve.test', role: 'agent' });
    const manager = await seedUser(tenantUuid, { email: 'manager@verve.test', role: 'manager' });
    const agentSession = await logIn(api.url, agent.email, agent.password);
    const managerSession = await logIn(api.url, manager.email, manager.password);
    const business = newBusiness();
    const input = { code: signupCode(business), wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, pin: '123456' };

    for (const who of [agentSession, managerSession]) {
      const refused = await connect(who, input);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(await phoneNumbers(managerSession)).toEqual([]);
    const agentList = await graphql(api.url, agentSession, '{ phoneNumbers { status } }');
    expect(agentList.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    for (const query of ['{ tenants(first: 5) { edges { node { id } } } }', 'mutation { createTenant(input: { name: "Mine", admin: { email: "x@y.test", name: "X" } }) { __typename } }']) {
      const refused = await graphql(api.url, admin, query);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const nobody = await graphql(api.url, null, '{ tenants(first: 5) { edges { node { id } } } }');
    expect(nobody.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // Emails are unique per tenant: the admin of one tenant may be the first admin of another.
    expect(await createTenant('Copycat', { email: 'ADMIN@verve.test', name: 'Copy', password: 'copycat passphrase' })).toMatchObject({
      __typename: 'MutationCreateTenantSuccess',
      admin: { email: 'admin@verve.test', role: 'ADMIN' },
    });
    expect(await createTenant('Shorty', { email: 'new@shorty.test', name: 'New', password: 'short' })).toEqual({
      __typename: 'ValidationError',
      code: 'INVALID_INPUT',
      field: 'admin.password',
      message: 'Passwords need at least 10 characters.',
    });
    expect(await createTenant('Nomail', { email: 'not-an-email', name: 'New' })).toMatchObject({ __typename: 'ValidationError', field: 'admin.email' });
    expect(await createTenant('   ', { email: 'blank@name.test', name: 'New' })).toMatchObject({ __typename: 'ValidationError', field: 'name' });
    // Refused tenants leave nothing behind.
    expect((await owner()`select name from tenants order by name`).map((t) => t.name)).toEqual(['Copycat', 'Verve']);
  });
});

