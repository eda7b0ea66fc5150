// Two-factor sign-in over real HTTP against a real api and Postgres: enrolling an authenticator app (the
// code computed from the secret in the otpauth URI, as an app would), signing in in two steps, replay
// protection, recovery codes that work once, wrong codes counted in the sign-in throttle like wrong
// passwords, turning it off, the tenant's requirement, and who may do what.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '@switchboard/db/tenant';
import { purgeStaffMember } from '@switchboard/api/users/purge-staff';
import { graphql, logIn, owner, resetDatabase, seedApiKey, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';
import { secretOfUri, totpCode } from '../support/totp.ts';

const PASSWORD = 'correct horse battery';
const LOG_IN = `mutation ($email: String!, $password: String!, $otp: String) {
  logIn(input: { email: $email, password: $password, otp: $otp }) { __typename ... on Error { code message } ... on TooManyAttemptsError { retryAfterSeconds } } }`;
const START = 'mutation { startTotpEnrolment { __typename ... on MutationStartTotpEnrolmentSuccess { otpauthUri } ... on Error { code } } }';
const CONFIRM = 'mutation ($code: String!) { confirmTotpEnrolment(code: $code) { __typename ... on MutationConfirmTotpEnrolmentSuccess { recoveryCodes } ... on Error { code } } }';
const DISABLE = `mutation ($code: String!) { disableTotp(code: $code) {
  __typename ... on MutationDisableTotpSuccess { user { totpEnabled } } ... on Error { code } ... on TooManyAttemptsError { retryAfterSeconds } } }`;

describe('two-factor sign-in', () => {
  let api: RunningApi;
  let tenantId: string;
  let ana: { id: string; email: string };
  let anaSession: Credentials;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    anaSession = await logIn(api.url, ana.email, PASSWORD);
  });

  const attempt = async (email: string, password: string, otp?: string) => {
    const answer = await graphql(api.url, null, LOG_IN, { email, password, otp });
    expect(answer.errors).toBeUndefined();
    return answer.data!.logIn as { __typename: string; code?: string; retryAfterSeconds?: number };
  };
  const call = async (who: Credentials, query: string, variables: Record<string, unknown> = {}) => {
    const answer = await graphql(api.url, who, query, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data as any;
  };
  /** Enrols the person of `session` and answers the secret and the recovery codes. */
  const enrol = async (session: Credentials) => {
    const { otpauthUri } = (await call(session, START)).startTotpEnrolment;
    const secret = secretOfUri(otpauthUri);
    const { recoveryCodes } = (await call(session, CONFIRM, { code: await totpCode(secret) })).confirmTotpEnrolment;
    return { secret, recoveryCodes: recoveryCodes as string[] };
  };
  const entries = (action: string) =>
    owner()<{ actorId: string | null; targetId: string | null; detail: unknown }[]>`
      select actor_id, target_id, detail from audit_events where tenant_id = ${tenantId} and action = ${action} order by at`;

  describe('enrolling', () => {
    it('answers an otpauth URI, keeps the secret sealed, and changes nothing at sign-in until a code confirms it', async () => {
      const start = (await call(anaSession, START)).startTotpEnrolment;
      expect(start.__typename).toBe('MutationStartTotpEnrolmentSuccess');
      const uri = new URL(start.otpauthUri);
      expect([uri.protocol, uri.host, decodeURIComponent(uri.pathname)]).toEqual(['otpauth:', 'totp', '/Switchboard:ana@acme.test']);
      expect(uri.searchParams.get('issuer')).toBe('Switchboard');
      const secret = secretOfUri(start.otpauthUri);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);

      const [row] = await owner()<{ secretSealed: string }[]>`select secret_sealed from user_totp where user_id = ${ana.id}`;
      expect(row!.secretSealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row!.secretSealed).not.toContain(secret);
      // Pending: the password alone still signs in, and nobody reads as enrolled.
      expect(await attempt(ana.email, PASSWORD)).toEqual({ __typename: 'MutationLogInSuccess' });
      expect((await call(anaSession, '{ me { totpEnabled } }')).me.totpEnabled).toBe(false);

      expect((await call(anaSession, CONFIRM, { code: '000000' === (await totpCode(secret)) ? '111111' : '000000' })).confirmTotpEnrolment).toEqual({
        __typename: 'InvalidOtpError',
        code: 'INVALID_OTP',
      });
      expect((await call(anaSession, '{ me { totpEnabled } }')).me.totpEnabled).toBe(false);

      const confirmed = (await call(anaSession, CONFIRM, { code: await totpCode(secret) })).confirmTotpEnrolment;
      expect(confirmed.__typename).toBe('MutationConfirmTotpEnrolmentSuccess');
      const codes = confirmed.recoveryCodes as string[];
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
      // Stored as hashes only.
      const stored = await owner()<{ codeHash: string }[]>`select code_hash from recovery_codes where user_id = ${ana.id}`;
      expect(stored).toHaveLength(10);
      expect(stored.filter((s) => codes.some((c) => s.codeHash.includes(c) || s.codeHash.includes(c.replaceAll('-', ''))))).toEqual([]);
      expect((await call(anaSession, '{ me { totpEnabled } }')).me.totpEnabled).toBe(true);
      expect(await entries('user.totp_enabled')).toEqual([{ actorId: ana.id, targetId: ana.id, detail: {} }]);

      // Once on, it cannot be started again without turning it off first.
      expect((await call(anaSession, START)).startTotpEnrolment).toEqual({ __typename: 'ConflictError', code: 'TOTP_ALREADY_ENABLED' });
      expect((await call(anaSession, CONFIRM, { code: await totpCode(secret, 1) })).confirmTotpEnrolment).toEqual({ __typename: 'ConflictError', code: 'NO_ENROLMENT_STARTED' });
    });

    it('is for signed-in people only: a key cannot enrol, confirm or disable anyone', async () => {
      const key = await seedApiKey(tenantId, ['read', 'send', 'admin']);
      for (const query of [START, CONFIRM, DISABLE]) {
        const answer = await graphql(api.url, key, query, { code: '123456' });
        expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      }
      expect(await owner()`select 1 from user_totp`).toHaveLength(0);
    });
  });

  describe('signing in', () => {
    it('asks for a code after the password, signs in with one, and never takes a code twice', async () => {
      const { secret } = await enrol(anaSession);
      expect(await attempt(ana.email, PASSWORD)).toMatchObject({ __typename: 'OtpRequiredError', code: 'OTP_REQUIRED' });
      // The code that confirmed the enrolment was used; a wrong password is still only a wrong password.
      expect(await attempt(ana.email, PASSWORD, await totpCode(secret))).toMatchObject({ __typename: 'InvalidOtpError', code: 'INVALID_OTP' });
      expect(await attempt(ana.email, 'not the password', await totpCode(secret, 1))).toMatchObject({ __typename: 'InvalidCredentialsError' });

      const next = await totpCode(secret, 1);
      const session = await logIn(api.url, ana.email, PASSWORD, next);
      expect((await call(session, '{ me { email totpEnabled } }')).me).toEqual({ email: ana.email, totpEnabled: true });
      // Replay: the same code, at once, from anywhere, is refused.
      expect(await attempt(ana.email, PASSWORD, next)).toMatchObject({ __typename: 'InvalidOtpError' });
    });

    it('takes a recovery code once, in any case and grouping, and records its use', async () => {
      const { recoveryCodes } = await enrol(anaSession);
      const typed = recoveryCodes[0]!.toUpperCase().replaceAll('-', ' ');
      const session = await logIn(api.url, ana.email, PASSWORD, typed);
      expect((await call(session, '{ me { totpEnabled } }')).me.totpEnabled).toBe(true);
      expect(await attempt(ana.email, PASSWORD, recoveryCodes[0])).toMatchObject({ __typename: 'InvalidOtpError' });
      expect(await attempt(ana.email, PASSWORD, 'abcd-efgh-ijkl-mnop')).toMatchObject({ __typename: 'InvalidOtpError' });
      await logIn(api.url, ana.email, PASSWORD, recoveryCodes[1]);
      expect(await entries('user.recovery_code_used')).toEqual([
        { actorId: ana.id, targetId: ana.id, detail: { remaining: 9 } },
        { actorId: ana.id, targetId: ana.id, detail: { remaining: 8 } },
      ]);
      // A wrong code is a failed sign-in of the account, with no code in the entry.
      const failed = await entries('session.sign_in_failed');
      expect(failed).toEqual([
        { actorId: null, targetId: ana.id, detail: { step: 'second_factor' } },
        { actorId: null, targetId: ana.id, detail: { step: 'second_factor' } },
      ]);
    });

    it('counts wrong codes in the account throttle like wrong passwords, and asking for the code forgets none of them', async () => {
      const { secret } = await enrol(anaSession);
      for (let i = 0; i < 4; i++) expect(await attempt(ana.email, PASSWORD, `99999${i}`)).toMatchObject({ __typename: 'InvalidOtpError' });
      // The password alone gives its own slot back, not the account's failures.
      expect(await attempt(ana.email, PASSWORD)).toMatchObject({ __typename: 'OtpRequiredError' });
      expect(await attempt(ana.email, PASSWORD)).toMatchObject({ __typename: 'OtpRequiredError' });
      expect(await attempt(ana.email, PASSWORD, '999994')).toMatchObject({ __typename: 'InvalidOtpError' });
      // Five failures: the account is paused, even for a right code.
      const paused = await attempt(ana.email, PASSWORD, await totpCode(secret, 1));
      expect(paused).toMatchObject({ __typename: 'TooManyAttemptsError', code: 'TOO_MANY_ATTEMPTS' });
      expect(paused.retryAfterSeconds).toBeGreaterThan(14 * 60);
    });

    it('counts 50 parallel wrong codes as 5 checks', async () => {
      await enrol(anaSession);
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(ana.email, PASSWORD, String(100000 + i))));
      const counts: Record<string, number> = {};
      for (const o of outcomes) counts[o.__typename] = (counts[o.__typename] ?? 0) + 1;
      expect(counts).toEqual({ InvalidOtpError: 5, TooManyAttemptsError: 45 });
    });

    it('counts a wrong code in the address throttle: the 50th failure from one address pauses it', async () => {
      const bo = await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo', role: 'agent' });
      await enrol(anaSession);
      // 49 failures spread over accounts that do not exist (none reaches its own limit), then one wrong code.
      await Promise.all(Array.from({ length: 49 }, (_, i) => attempt(`nobody${i}@acme.test`, 'wrong password')));
      expect(await attempt(ana.email, PASSWORD, '123123')).toMatchObject({ __typename: 'InvalidOtpError' });
      expect(await attempt(bo.email, PASSWORD)).toMatchObject({ __typename: 'TooManyAttemptsError' });
    });
  });

  describe('turning it off', () => {
    it('takes a code, deletes the secret and the recovery codes, and sign-in needs the password alone again', async () => {
      const { secret } = await enrol(anaSession);
      expect((await call(anaSession, DISABLE, { code: 'zzzz-zzzz-zzzz-zzzz' })).disableTotp).toEqual({ __typename: 'InvalidOtpError', code: 'INVALID_OTP' });
      expect((await call(anaSession, DISABLE, { code: await totpCode(secret, 1) })).disableTotp).toEqual({ __typename: 'MutationDisableTotpSuccess', user: { totpEnabled: false } });
      expect(await owner()`select 1 from user_totp union all select 1 from recovery_codes`).toHaveLength(0);
      expect(await attempt(ana.email, PASSWORD)).toEqual({ __typename: 'MutationLogInSuccess' });
      expect((await call(anaSession, DISABLE, { code: '123456' })).disableTotp).toEqual({ __typename: 'ConflictError', code: 'TOTP_NOT_ENABLED' });
      expect(await entries('user.totp_disabled')).toEqual([{ actorId: ana.id, targetId: ana.id, detail: { reason: 'own_request' } }]);
    });

    it('is what accepting a new invitation does, for a person who lost their phone and their codes', async () => {
      await enrol(anaSession);
      const admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
      const { url } = (await call(admin, 'mutation ($u: ID!) { reissueInvitation(userId: $u) { ... on MutationReissueInvitationSuccess { invitation { url } } } }', {
        u: Buffer.from(`User:${ana.id}`).toString('base64'),
      })).reissueInvitation.invitation;
      const token = url.slice(url.indexOf('/invite/') + '/invite/'.length);
      const accepted = await call(null, 'mutation ($t: String!) { acceptInvitation(token: $t, password: "a fresh start passphrase") { __typename } }', { t: token });
      expect(accepted.acceptInvitation.__typename).toBe('MutationAcceptInvitationSuccess');
      expect(await attempt(ana.email, 'a fresh start passphrase')).toEqual({ __typename: 'MutationLogInSuccess' });
      expect(await entries('user.totp_disabled')).toEqual([{ actorId: ana.id, targetId: ana.id, detail: { reason: 'invitation_accepted' } }]);
    });
  });

  it('goes with a purged staff member: their secret and recovery codes are deleted', async () => {
    await enrol(anaSession);
    await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo', role: 'agent' }).then((bo) => logIn(api.url, bo.email, PASSWORD)).then(enrol);
    expect(await owner()`select 1 from user_totp`).toHaveLength(2);
    await owner()`update users set deactivated_at = now() where id = ${ana.id}`;
    expect(await withTenant(owner(), tenantId, (tx) => purgeStaffMember(tx, tenantId, ana.id))).toMatchObject({ purged: true });
    expect(await owner()`select user_id from user_totp where user_id = ${ana.id} union all select user_id from recovery_codes where user_id = ${ana.id}`).toHaveLength(0);
    // Someone else's stay.
    expect(await owner()`select 1 from user_totp`).toHaveLength(1);
    expect(await owner()`select 1 from recovery_codes`).toHaveLength(10);
  });

  describe("the tenant's requirement", () => {
    const REQUIRE = 'mutation ($on: Boolean!) { updateTenant(input: { requireTwoFactor: $on }) { __typename ... on MutationUpdateTenantSuccess { tenant { requireTwoFactor } } } }';
    const CHANGE_PASSWORD = 'mutation { changePassword(currentPassword: "correct horse battery", newPassword: "another long passphrase") { __typename ... on Error { code message } } }';

    it('lets a person who has not enrolled sign in and read, but change nothing until they enrol', async () => {
      const admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
      expect((await call(admin, REQUIRE, { on: true })).updateTenant).toEqual({ __typename: 'MutationUpdateTenantSuccess', tenant: { requireTwoFactor: true } });

      // Sessions already open are held to it at once, the admin's own too.
      expect((await call(admin, 'mutation { createLabel(name: "VIP") { __typename } }')).createLabel.__typename).toBe('TwoFactorEnrolmentRequiredError');
      const session = await logIn(api.url, ana.email, PASSWORD);
      expect(await call(session, '{ me { totpEnabled } viewer { tenant { requireTwoFactor } } }')).toEqual({ me: { totpEnabled: false }, viewer: { tenant: { requireTwoFactor: true } } });
      expect((await call(session, CHANGE_PASSWORD)).changePassword).toEqual({
        __typename: 'TwoFactorEnrolmentRequiredError',
        code: 'TWO_FACTOR_ENROLMENT_REQUIRED',
        message: 'Your organisation requires two-factor sign-in: set it up on your account page first.',
      });
      // Keys are not people signing in: the requirement is not theirs.
      const key = await seedApiKey(tenantId, ['read', 'send', 'admin']);
      expect((await call(key, 'mutation { createLabel(name: "Key label") { __typename } }')).createLabel.__typename).toBe('MutationCreateLabelSuccess');

      await enrol(session);
      expect((await call(session, CHANGE_PASSWORD)).changePassword.__typename).toBe('MutationChangePasswordSuccess');
      // Turning the requirement off is audited with its old and new values.
      await enrol(admin);
      expect((await call(admin, REQUIRE, { on: false })).updateTenant.tenant.requireTwoFactor).toBe(false);
      const toggles = await owner()<{ detail: any }[]>`select detail from audit_events where action = 'tenant.updated' order by at`;
      expect(toggles.map((t) => t.detail)).toEqual([
        { fields: ['requireTwoFactor'], old: { requireTwoFactor: false }, new: { requireTwoFactor: true } },
        { fields: ['requireTwoFactor'], old: { requireTwoFactor: true }, new: { requireTwoFactor: false } },
      ]);
    });

    it('is changed by admins and ADMIN keys only, and stays in its tenant', async () => {
      expect((await graphql(api.url, anaSession, REQUIRE, { on: true })).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const manager = await seedUser(tenantId, { email: 'mia@acme.test', name: 'Mia', role: 'manager' });
      expect((await graphql(api.url, await logIn(api.url, manager.email, PASSWORD), REQUIRE, { on: true })).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const readSend = await seedApiKey(tenantId, ['read', 'send']);
      expect((await graphql(api.url, readSend, REQUIRE, { on: true })).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await owner()`select 1 from tenants where require_two_factor`).toHaveLength(0);

      // Another tenant that requires it changes nothing here.
      const other = await seedDevTenant({ name: 'Other Co', wabaId: '999000111', phoneNumberId: '999000222', displayPhoneNumber: '15550000199' });
      await seedUser(other.tenantId, { email: 'olga@other.test', name: 'Olga', role: 'admin' });
      const olga = await logIn(api.url, 'olga@other.test', PASSWORD);
      expect((await call(olga, REQUIRE, { on: true })).updateTenant.tenant.requireTwoFactor).toBe(true);
      expect((await call(olga, 'mutation { createLabel(name: "Olga label") { __typename } }')).createLabel.__typename).toBe('TwoFactorEnrolmentRequiredError');
      expect((await call(anaSession, CHANGE_PASSWORD)).changePassword.__typename).toBe('MutationChangePasswordSuccess');
    });
  });
});
