// "Every admin change is audited": a table of every mutation of the contract, each either with the
// entries it must write (action, actor, target, address, detail) or with the reason it writes none (a
// sign-in is audited in audit-log.spec.ts; conversation work is not an admin change). A mutation added to
// schema/schema.graphql without a row fails here. Each row runs through a real api over HTTP against a
// real Postgres and the Meta sandbox, and the entries it added are read back from the database. Details
// hold ids and old→new values, never a name, an email or text; a refused or failed change writes nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { freePort } from '@switchboard/db/embedded';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { devAccessToken, devAppId, type Sandbox } from '../meta-sandbox/server.ts';
import { META_APP_SECRET } from '../support/edge.ts';
import { startSandbox } from '../support/sandbox.ts';
import {
  DEV_TENANT,
  graphql,
  logIn,
  owner,
  resetDatabase,
  seedAccountToken,
  seedApiKey,
  seedDepartment,
  seedDevTenant,
  seedUser,
  startApi,
  type Credentials,
  type RunningApi,
} from '../support/stack.ts';
import { secretOfUri, totpCode } from '../support/totp.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

/** Names, emails and words the changes carry: none may be in an entry. */
const PERSONAL = ['Acme Coffee Roasters', 'Bea Boss', 'boss@acme.test', 'Ana Agent', 'ana@acme.test', 'Nina New', 'nina@acme.test', 'Renamed Person', 'Refunds', 'Hello, how can I help?', 'VIP'];
const OPERATOR = { email: 'ops@switchboard.test', name: 'Platform Ops', password: 'operator passphrase 1' };

interface World {
  tenantId: string;
  admin: { id: string; session: { cookie: string } };
  agent: { id: string; session: { cookie: string } };
  operator: { id: string; session: { cookie: string } };
  key: { id: string; secret: string };
  departmentId: string;
}

interface Expected {
  action: string;
  actor: 'admin' | 'agent' | 'key' | 'operator';
  target?: { kind: string; id: string } | null;
  detail?: Record<string, unknown>;
  /** The tenant whose log holds it; the dev tenant unless said. */
  tenantId?: string;
}

interface Row {
  /** Runs the mutation (after any setup), checks it succeeded, and answers the entries it must have written. */
  run: (w: World, call: (who: Credentials, query: string, variables?: Record<string, unknown>) => Promise<any>) => Promise<Expected[] | (() => Promise<Expected[]>)>;
}

/** Mutations that write no entry, and why. */
const NOT_ADMIN_CHANGES: Record<string, string> = {
  addNote: 'conversation work',
  deleteNote: 'conversation work',
  assignConversation: 'conversation work (conversation events)',
  unassignConversation: 'conversation work (conversation events)',
  transferConversation: 'conversation work (conversation events)',
  setConversationStatus: 'conversation work (conversation events)',
  labelConversation: 'conversation work',
  unlabelConversation: 'conversation work',
  sendText: 'a reply',
  sendMedia: 'a reply',
  sendTemplate: 'a reply',
  sendButtons: 'a reply',
  sendList: 'a reply',
  sendReaction: 'a reply',
  uploadMedia: 'a file for a reply',
  setPresence: "a person's own availability",
  startTotpEnrolment: 'a pending enrolment changes nothing at sign-in; confirmTotpEnrolment is the change',
};

let api: RunningApi;
let sandbox: Sandbox;
let serial = 0;

/** Each row's setup happens before `run` reads the log, so only what the mutation itself wrote counts. */
const ROWS: Record<string, Row> = {
  logIn: {
    run: async (w) => {
      await logIn(api.url, 'ana@acme.test', 'correct horse battery');
      return [{ action: 'session.signed_in', actor: 'agent', target: null }];
    },
  },
  logOut: {
    run: async (w, call) => {
      expect((await call(w.agent.session, 'mutation { logOut }')).logOut).toBe(true);
      const [session] = await owner()<{ id: string }[]>`select id from sessions where user_id = ${w.agent.id} order by created_at desc limit 1`;
      return [{ action: 'session.signed_out', actor: 'agent', target: { kind: 'session', id: session!.id } }];
    },
  },
  revokeSession: {
    run: async (w, call) => {
      const other = await logIn(api.url, 'ana@acme.test', 'correct horse battery');
      const sessions = (await call(other, '{ mySessions { id current } }')).mySessions as { id: string; current: boolean }[];
      const first = sessions.find((s) => !s.current)!;
      return async () => {
        const res = await call(other, 'mutation ($id: ID!) { revokeSession(id: $id) { __typename } }', { id: first.id });
        expect(res.revokeSession.__typename).toBe('MutationRevokeSessionSuccess');
        return [{ action: 'session.revoked', actor: 'agent', target: { kind: 'session', id: uuidOf(first.id) } }];
      };
    },
  },
  logOutEverywhereElse: {
    run: async (w, call) => {
      const other = await logIn(api.url, 'ana@acme.test', 'correct horse battery');
      return async () => {
        expect((await call(other, 'mutation { logOutEverywhereElse }')).logOutEverywhereElse).toBe(1);
        return [{ action: 'session.others_revoked', actor: 'agent', target: null, detail: { endedSessions: 1 } }];
      };
    },
  },
  changePassword: {
    run: async (w, call) => {
      const res = await call(w.agent.session, 'mutation { changePassword(currentPassword: "correct horse battery", newPassword: "a brand new passphrase") { __typename } }');
      expect(res.changePassword.__typename).toBe('MutationChangePasswordSuccess');
      return [{ action: 'user.password_changed', actor: 'agent', target: { kind: 'user', id: w.agent.id }, detail: { endedSessions: 0 } }];
    },
  },
  confirmTotpEnrolment: {
    run: async (w, call) => {
      const { otpauthUri } = (await call(w.agent.session, 'mutation { startTotpEnrolment { ... on MutationStartTotpEnrolmentSuccess { otpauthUri } } }')).startTotpEnrolment;
      const code = await totpCode(secretOfUri(otpauthUri));
      return async () => {
        const res = await call(w.agent.session, 'mutation ($c: String!) { confirmTotpEnrolment(code: $c) { __typename } }', { c: code });
        expect(res.confirmTotpEnrolment.__typename).toBe('MutationConfirmTotpEnrolmentSuccess');
        return [{ action: 'user.totp_enabled', actor: 'agent', target: { kind: 'user', id: w.agent.id } }];
      };
    },
  },
  disableTotp: {
    run: async (w, call) => {
      const { otpauthUri } = (await call(w.agent.session, 'mutation { startTotpEnrolment { ... on MutationStartTotpEnrolmentSuccess { otpauthUri } } }')).startTotpEnrolment;
      const secret = secretOfUri(otpauthUri);
      const codes = (await call(w.agent.session, 'mutation ($c: String!) { confirmTotpEnrolment(code: $c) { ... on MutationConfirmTotpEnrolmentSuccess { recoveryCodes } } }', { c: await totpCode(secret) })).confirmTotpEnrolment.recoveryCodes;
      expect(codes).toHaveLength(10);
      return async () => {
        // With a recovery code: its use and the switch-off are both recorded, the code itself never.
        const res = await call(w.agent.session, 'mutation ($c: String!) { disableTotp(code: $c) { __typename ... on MutationDisableTotpSuccess { user { totpEnabled } } } }', { c: codes[3] });
        expect(res.disableTotp).toEqual({ __typename: 'MutationDisableTotpSuccess', user: { totpEnabled: false } });
        const target = { kind: 'user', id: w.agent.id };
        return [
          { action: 'user.recovery_code_used', actor: 'agent', target, detail: { remaining: 9 } },
          { action: 'user.totp_disabled', actor: 'agent', target, detail: { reason: 'own_request' } },
        ];
      };
    },
  },
  revokeUserSessions: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($u: ID!) { revokeUserSessions(userId: $u) { __typename ... on MutationRevokeUserSessionsSuccess { endedSessions } } }', { u: gid('User', w.agent.id) });
      expect(res.revokeUserSessions.endedSessions).toBe(1);
      return [{ action: 'user.sessions_revoked', actor: 'admin', target: { kind: 'user', id: w.agent.id }, detail: { endedSessions: 1 } }];
    },
  },
  createUser: {
    run: async (w, call) => {
      const res = await call(w.key.secret, 'mutation { createUser(email: "nina@acme.test", name: "Nina New", role: AGENT, capacity: 3) { __typename ... on MutationCreateUserSuccess { user { id } } } }');
      const id = uuidOf(res.createUser.user.id);
      return [{ action: 'user.created', actor: 'key', target: { kind: 'user', id }, detail: { role: 'agent', capacity: 3 } }];
    },
  },
  reissueInvitation: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($u: ID!) { reissueInvitation(userId: $u) { __typename } }', { u: gid('User', w.agent.id) });
      expect(res.reissueInvitation.__typename).toBe('MutationReissueInvitationSuccess');
      return [{ action: 'user.invitation_reissued', actor: 'admin', target: { kind: 'user', id: w.agent.id } }];
    },
  },
  acceptInvitation: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($u: ID!) { reissueInvitation(userId: $u) { ... on MutationReissueInvitationSuccess { invitation { url } } } }', { u: gid('User', w.agent.id) });
      const token = new URL(res.reissueInvitation.invitation.url).searchParams.get('token') ?? res.reissueInvitation.invitation.url.split('/').pop();
      return async () => {
        const accepted = await call(null, 'mutation ($t: String!) { acceptInvitation(token: $t, password: "my own passphrase 1") { __typename } }', { t: token });
        expect(accepted.acceptInvitation.__typename).toBe('MutationAcceptInvitationSuccess');
        return [{ action: 'user.invitation_accepted', actor: 'agent', target: { kind: 'user', id: w.agent.id } }];
      };
    },
  },
  updateUser: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($u: ID!) { updateUser(id: $u, role: MANAGER, name: "Renamed Person", capacity: 7) { __typename } }', { u: gid('User', w.agent.id) });
      expect(res.updateUser.__typename).toBe('MutationUpdateUserSuccess');
      const target = { kind: 'user', id: w.agent.id };
      return [
        { action: 'user.role_changed', actor: 'admin', target, detail: { from: 'agent', to: 'manager' } },
        { action: 'user.capacity_changed', actor: 'admin', target, detail: { from: 5, to: 7 } },
        { action: 'user.renamed', actor: 'admin', target },
      ];
    },
  },
  updateMyProfile: {
    run: async (w, call) => {
      const res = await call(w.agent.session, 'mutation { updateMyProfile(input: { name: "Ana Renamed", language: ES }) { __typename } }', {});
      expect(res.updateMyProfile.__typename).toBe('MutationUpdateMyProfileSuccess');
      // The language is the person's own preference, not an admin change: only the rename is recorded.
      return [{ action: 'user.renamed', actor: 'agent', target: { kind: 'user', id: w.agent.id } }];
    },
  },
  deactivateUser: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($u: ID!) { deactivateUser(id: $u) { __typename } }', { u: gid('User', w.agent.id) });
      expect(res.deactivateUser.__typename).toBe('MutationDeactivateUserSuccess');
      return [{ action: 'user.deactivated', actor: 'admin', target: { kind: 'user', id: w.agent.id }, detail: { requeuedConversations: 0 } }];
    },
  },
  reactivateUser: {
    run: async (w, call) => {
      await owner()`update users set deactivated_at = now() where id = ${w.agent.id}`;
      const res = await call(w.admin.session, 'mutation ($u: ID!) { reactivateUser(id: $u) { __typename } }', { u: gid('User', w.agent.id) });
      expect(res.reactivateUser.__typename).toBe('MutationReactivateUserSuccess');
      return [{ action: 'user.reactivated', actor: 'admin', target: { kind: 'user', id: w.agent.id } }];
    },
  },
  createApiKey: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { createApiKey(input: { name: "CRM sync", scopes: [READ, SEND] }) { ... on MutationCreateApiKeySuccess { apiKey { id } } } }');
      return [{ action: 'api_key.created', actor: 'admin', target: { kind: 'api_key', id: uuidOf(res.createApiKey.apiKey.id) }, detail: { scopes: ['read', 'send'] } }];
    },
  },
  updateApiKeyScopes: {
    run: async (w, call) => {
      const made = await call(w.admin.session, 'mutation { createApiKey(input: { name: "CRM sync", scopes: [READ] }) { ... on MutationCreateApiKeySuccess { apiKey { id } } } }');
      const id = made.createApiKey.apiKey.id;
      return async () => {
        const res = await call(w.key.secret, 'mutation ($id: ID!) { updateApiKeyScopes(id: $id, scopes: [READ, SEND]) { __typename } }', { id });
        expect(res.updateApiKeyScopes.__typename).toBe('MutationUpdateApiKeyScopesSuccess');
        return [{ action: 'api_key.scopes_changed', actor: 'key', target: { kind: 'api_key', id: uuidOf(id) }, detail: { from: ['read'], to: ['read', 'send'] } }];
      };
    },
  },
  revokeApiKey: {
    run: async (w, call) => {
      const made = await call(w.key.secret, 'mutation { createApiKey(input: { name: "child", scopes: [READ] }) { ... on MutationCreateApiKeySuccess { apiKey { id } } } }');
      const child = uuidOf(made.createApiKey.apiKey.id);
      return async () => {
        const res = await call(w.admin.session, 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: gid('ApiKey', w.key.id) });
        expect(res.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
        return [{ action: 'api_key.revoked', actor: 'admin', target: { kind: 'api_key', id: w.key.id }, detail: { alsoRevoked: [child] } }];
      };
    },
  },
  createDepartment: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { createDepartment(name: "Refunds", strategy: BALANCED) { ... on MutationCreateDepartmentSuccess { department { id } } } }');
      const id = uuidOf(res.createDepartment.department.id);
      return [{ action: 'department.created', actor: 'admin', target: { kind: 'department', id }, detail: { strategy: 'balanced', autoAssign: true, isDefault: false } }];
    },
  },
  updateDepartment: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation ($d: ID!) { updateDepartment(id: $d, name: "Refunds", autoAssign: false) { __typename } }', { d: gid('Department', w.departmentId) });
      expect(res.updateDepartment.__typename).toBe('MutationUpdateDepartmentSuccess');
      const target = { kind: 'department', id: w.departmentId };
      return [
        { action: 'department.renamed', actor: 'admin', target },
        { action: 'department.updated', actor: 'admin', target, detail: { autoAssign: { from: true, to: false } } },
      ];
    },
  },
  setDepartmentMember: {
    run: async (w, call) => {
      const set = (member: boolean) =>
        call(w.admin.session, 'mutation ($d: ID!, $u: ID!, $m: Boolean!) { setDepartmentMember(departmentId: $d, userId: $u, member: $m) { __typename } }', {
          d: gid('Department', w.departmentId),
          u: gid('User', w.agent.id),
          m: member,
        });
      expect((await set(true)).setDepartmentMember.__typename).toBe('MutationSetDepartmentMemberSuccess');
      expect((await set(false)).setDepartmentMember.__typename).toBe('MutationSetDepartmentMemberSuccess');
      const target = { kind: 'department', id: w.departmentId };
      return [
        { action: 'department.member_added', actor: 'admin', target, detail: { memberId: w.agent.id } },
        { action: 'department.member_removed', actor: 'admin', target, detail: { memberId: w.agent.id } },
      ];
    },
  },
  connectWhatsAppNumber: {
    run: async (w, call) => {
      serial += 1;
      const n = String(serial).padStart(4, '0');
      const business = { wabaId: `41000000000${n}`, phoneNumberId: `42000000000${n}`, businessId: `43000000000${n}` };
      const { code } = sandbox.issueSignupCode({ wabaId: business.wabaId, phoneNumberIds: [business.phoneNumberId], businessId: business.businessId });
      const res = await call(w.admin.session, 'mutation ($input: ConnectWhatsAppNumberInput!) { connectWhatsAppNumber(input: $input) { __typename ... on MutationConnectWhatsAppNumberSuccess { phoneNumber { id } } } }', {
        input: { code, ...business, pin: '123456' },
      });
      expect(res.connectWhatsAppNumber.__typename).toBe('MutationConnectWhatsAppNumberSuccess');
      const [number] = await owner()<{ id: string }[]>`select id from phone_numbers where phone_number_id = ${business.phoneNumberId}`;
      return [
        { action: 'whatsapp_account.connected', actor: 'admin', target: { kind: 'whatsapp_account', id: business.wabaId } },
        { action: 'phone_number.connected', actor: 'admin', target: { kind: 'phone_number', id: number!.id }, detail: { wabaId: business.wabaId, phoneNumberId: business.phoneNumberId, tokenRenewed: true } },
      ];
    },
  },
  updatePhoneNumber: {
    run: async (w, call) => {
      const [number] = await owner()<{ id: string }[]>`select id from phone_numbers where phone_number_id = ${DEV_TENANT.phoneNumberId}`;
      const res = await call(w.key.secret, 'mutation ($p: ID!, $d: ID) { updatePhoneNumber(id: $p, throughputPerSecond: 20, defaultDepartmentId: $d) { __typename } }', {
        p: gid('PhoneNumber', number!.id),
        d: gid('Department', w.departmentId),
      });
      expect(res.updatePhoneNumber.__typename).toBe('MutationUpdatePhoneNumberSuccess');
      const detail = { throughputPerSecond: { from: 80, to: 20 }, defaultDepartmentId: { from: null, to: w.departmentId } };
      return [{ action: 'phone_number.updated', actor: 'key', target: { kind: 'phone_number', id: number!.id }, detail }];
    },
  },
  syncTemplates: {
    run: async (w, call) => {
      await seedAccountToken(w.tenantId, devAccessToken);
      return async () => {
        const count = (await call(w.admin.session, 'mutation { syncTemplates }')).syncTemplates as number;
        expect(count).toBeGreaterThan(0);
        return [{ action: 'template.synced', actor: 'admin', target: { kind: 'whatsapp_account', id: DEV_TENANT.wabaId }, detail: { wabaId: DEV_TENANT.wabaId, templates: count } }];
      };
    },
  },
  createLabel: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { createLabel(name: "VIP") { ... on MutationCreateLabelSuccess { label { id } } } }');
      return [{ action: 'label.created', actor: 'admin', target: { kind: 'label', id: uuidOf(res.createLabel.label.id) } }];
    },
  },
  updateLabel: {
    run: async (w, call) => {
      const made = await call(w.admin.session, 'mutation { createLabel(name: "VIP") { ... on MutationCreateLabelSuccess { label { id } } } }');
      const id = made.createLabel.label.id;
      return async () => {
        expect((await call(w.key.secret, 'mutation ($id: ID!) { updateLabel(id: $id, color: "#ff0000") { __typename } }', { id })).updateLabel.__typename).toBe('MutationUpdateLabelSuccess');
        return [{ action: 'label.updated', actor: 'key', target: { kind: 'label', id: uuidOf(id) }, detail: { fields: ['color'] } }];
      };
    },
  },
  deleteLabel: {
    run: async (w, call) => {
      const made = await call(w.admin.session, 'mutation { createLabel(name: "VIP") { ... on MutationCreateLabelSuccess { label { id } } } }');
      const id = made.createLabel.label.id;
      return async () => {
        expect((await call(w.admin.session, 'mutation ($id: ID!) { deleteLabel(id: $id) { __typename } }', { id })).deleteLabel.__typename).toBe('MutationDeleteLabelSuccess');
        return [{ action: 'label.deleted', actor: 'admin', target: { kind: 'label', id: uuidOf(id) }, detail: { unlabelled: 0 } }];
      };
    },
  },
  createCannedResponse: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { createCannedResponse(shortcut: "hi", title: "Greeting", body: "Hello, how can I help?") { ... on MutationCreateCannedResponseSuccess { cannedResponse { id } } } }');
      return [{ action: 'canned_response.created', actor: 'admin', target: { kind: 'canned_response', id: uuidOf(res.createCannedResponse.cannedResponse.id) } }];
    },
  },
  updateCannedResponse: {
    run: async (w, call) => {
      const made = await call(w.admin.session, 'mutation { createCannedResponse(shortcut: "hi", title: "Greeting", body: "Hi") { ... on MutationCreateCannedResponseSuccess { cannedResponse { id } } } }');
      const id = made.createCannedResponse.cannedResponse.id;
      return async () => {
        const res = await call(w.admin.session, 'mutation ($id: ID!) { updateCannedResponse(id: $id, body: "Hello, how can I help?") { __typename } }', { id });
        expect(res.updateCannedResponse.__typename).toBe('MutationUpdateCannedResponseSuccess');
        return [{ action: 'canned_response.updated', actor: 'admin', target: { kind: 'canned_response', id: uuidOf(id) }, detail: { fields: ['body'] } }];
      };
    },
  },
  deleteCannedResponse: {
    run: async (w, call) => {
      const made = await call(w.admin.session, 'mutation { createCannedResponse(shortcut: "hi", title: "Greeting", body: "Hi") { ... on MutationCreateCannedResponseSuccess { cannedResponse { id } } } }');
      const id = made.createCannedResponse.cannedResponse.id;
      return async () => {
        expect((await call(w.admin.session, 'mutation ($id: ID!) { deleteCannedResponse(id: $id) { __typename } }', { id })).deleteCannedResponse.__typename).toBe('MutationDeleteCannedResponseSuccess');
        return [{ action: 'canned_response.deleted', actor: 'admin', target: { kind: 'canned_response', id: uuidOf(id) } }];
      };
    },
  },
  updateTenant: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { updateTenant(input: { name: "Acme Coffee Roasters", timeZone: "Europe/Madrid", requireTwoFactor: true }) { __typename ... on MutationUpdateTenantSuccess { tenant { name timeZone requireTwoFactor } } } }');
      expect(res.updateTenant.tenant).toEqual({ name: 'Acme Coffee Roasters', timeZone: 'Europe/Madrid', requireTwoFactor: true });
      return [
        {
          action: 'tenant.updated',
          actor: 'admin',
          target: { kind: 'tenant', id: w.tenantId },
          detail: { fields: ['name', 'timeZone', 'requireTwoFactor'], old: { timeZone: 'UTC', requireTwoFactor: false }, new: { timeZone: 'Europe/Madrid', requireTwoFactor: true } },
        },
      ];
    },
  },
  updateRetentionPolicy: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { updateRetentionPolicy(input: { messagesDays: 60 }) { __typename ... on MutationUpdateRetentionPolicySuccess { retentionPolicy { messagesDays } } } }');
      expect(res.updateRetentionPolicy.retentionPolicy.messagesDays).toBe(60);
      const defaults = { messagesDays: 90, rawWebhookDays: 7, deadLetterDays: 30, staffPurgeDays: 30, exportDays: 7, auditDays: 365, analyticsMonths: 24 };
      return [{ action: 'retention.updated', actor: 'admin', target: { kind: 'retention_policy', id: w.tenantId }, detail: { old: defaults, new: { ...defaults, messagesDays: 60 } } }];
    },
  },
  setPrivacyKeywords: {
    run: async (w, call) => {
      const res = await call(w.key.secret, 'mutation { setPrivacyKeywords(input: { language: EN, kind: ERASURE, phrases: ["Forget me"] }) { __typename ... on MutationSetPrivacyKeywordsSuccess { privacyKeywordSet { phrases } } } }');
      expect(res.setPrivacyKeywords.privacyKeywordSet.phrases).toEqual(['Forget me']);
      const defaults = ['delete my data', 'erase my data', 'remove my data', 'delete my personal data', 'erase my personal data'];
      return [
        {
          action: 'privacy.keywords_updated',
          actor: 'key',
          target: { kind: 'privacy_keywords', id: w.tenantId },
          detail: { language: 'en', kind: 'erasure', old: { phrases: defaults, isDefault: true }, new: { phrases: ['Forget me'], isDefault: false } },
        },
      ];
    },
  },
  recordContactOptIn: {
    run: async (w, call) => {
      const res = await call(w.key.secret, 'mutation { recordContactOptIn(input: { waId: "15550001111", basis: IMPORT, statement: "Signed up at the counter" }) { __typename ... on MutationRecordContactOptInSuccess { contact { id } } } }');
      return [{ action: 'contact.opt_in_recorded', actor: 'key', target: { kind: 'contact', id: uuidOf(res.recordContactOptIn.contact.id) }, detail: { basis: 'import' } }];
    },
  },
  createPrivacyRequest: {
    run: async (w, call) => {
      const res = await call(w.key.secret, 'mutation { createPrivacyRequest(input: { kind: ACCESS, subject: { staffEmail: "ana@acme.test" } }) { ... on MutationCreatePrivacyRequestSuccess { privacyRequest { id } } } }');
      const id = uuidOf(res.createPrivacyRequest.privacyRequest.id);
      return [{ action: 'privacy.access.received', actor: 'key', target: { kind: 'privacy_request', id }, detail: { subject: 'staff', source: 'api' } }];
    },
  },
  approvePrivacyRequest: {
    run: async (w, call) => {
      const id = await waitingRequest(w);
      return async () => {
        const res = await call(w.admin.session, 'mutation ($id: ID!) { approvePrivacyRequest(id: $id) { __typename } }', { id: gid('PrivacyRequest', id) });
        expect(res.approvePrivacyRequest.__typename).toBe('MutationApprovePrivacyRequestSuccess');
        return [{ action: 'privacy.erasure.approved', actor: 'admin', target: { kind: 'privacy_request', id }, detail: { subject: 'staff' } }];
      };
    },
  },
  rejectPrivacyRequest: {
    run: async (w, call) => {
      const id = await waitingRequest(w);
      return async () => {
        const res = await call(w.admin.session, 'mutation ($id: ID!) { rejectPrivacyRequest(id: $id, reason: "Not verified") { __typename } }', { id: gid('PrivacyRequest', id) });
        expect(res.rejectPrivacyRequest.__typename).toBe('MutationRejectPrivacyRequestSuccess');
        return [{ action: 'privacy.erasure.rejected', actor: 'admin', target: { kind: 'privacy_request', id } , detail: { subject: 'staff' } }];
      };
    },
  },
  createTenant: {
    run: async (w, call) => {
      const res = await call(w.operator.session, 'mutation { createTenant(input: { name: "Globex", admin: { email: "nina@acme.test", name: "Nina New" } }) { ... on MutationCreateTenantSuccess { tenant { id } admin { id } } } }');
      const tenantId = uuidOf(res.createTenant.tenant.id);
      const [department] = await owner()<{ id: string }[]>`select id from departments where tenant_id = ${tenantId}`;
      const detail = { adminId: uuidOf(res.createTenant.admin.id), departmentId: department!.id };
      return [{ action: 'tenant.created', actor: 'operator', target: { kind: 'tenant', id: tenantId }, detail, tenantId }];
    },
  },
  closeTenant: {
    run: async (w, call) => {
      const res = await call(w.operator.session, 'mutation ($id: ID!) { closeTenant(id: $id, graceDays: 30) { ... on MutationCloseTenantSuccess { tenant { purgeAfter } } } }', { id: gid('Tenant', w.tenantId) });
      const detail = { graceDays: 30, purgeAfter: new Date(res.closeTenant.tenant.purgeAfter).toISOString() };
      return [{ action: 'tenant.closed', actor: 'operator', target: { kind: 'tenant', id: w.tenantId }, detail }];
    },
  },
  reopenTenant: {
    run: async (w, call) => {
      const closed = await call(w.operator.session, 'mutation ($id: ID!) { closeTenant(id: $id) { ... on MutationCloseTenantSuccess { tenant { closedAt } } } }', { id: gid('Tenant', w.tenantId) });
      return async () => {
        const res = await call(w.operator.session, 'mutation ($id: ID!) { reopenTenant(id: $id) { __typename } }', { id: gid('Tenant', w.tenantId) });
        expect(res.reopenTenant.__typename).toBe('MutationReopenTenantSuccess');
        const detail = { closedAt: new Date(closed.closeTenant.tenant.closedAt).toISOString() };
        return [{ action: 'tenant.reopened', actor: 'operator', target: { kind: 'tenant', id: w.tenantId }, detail }];
      };
    },
  },
  exportTenant: {
    run: async (w, call) => {
      const res = await call(w.admin.session, 'mutation { exportTenant { ... on MutationExportTenantSuccess { export { url byteSize } } } }');
      const exportId = res.exportTenant.export.url.split('/').pop();
      return [{ action: 'tenant.exported', actor: 'admin', target: { kind: 'tenant_export', id: exportId }, detail: { byteSize: res.exportTenant.export.byteSize, media: 0 } }];
    },
  },
  exportAnalytics: {
    run: async (w, call) => {
      const input = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() };
      const res = await call(w.admin.session, 'mutation ($input: AnalyticsInput!) { exportAnalytics(input: $input, report: AGENTS) { ... on MutationExportAnalyticsSuccess { export { url byteSize rows } } } }', { input });
      const { url, byteSize, rows } = res.exportAnalytics.export;
      return [{ action: 'analytics.exported', actor: 'admin', target: { kind: 'analytics_export', id: url.split('/').pop() }, detail: { report: 'agents', rows, byteSize } }];
    },
  },
};

/** Every entry of the log, oldest first, as the database holds it. */
/** A request as the WhatsApp keyword flow leaves it: RECEIVED, waiting for an admin. */
async function waitingRequest(w: World): Promise<string> {
  const [row] = await owner()<{ id: string }[]>`
    insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, created_by_kind, due_at)
    values (${w.tenantId}, 'erasure', 'whatsapp', 'staff', ${w.agent.id}, 'a•••@acme.test', 'customer', now() + interval '30 days')
    returning id`;
  return row!.id;
}

const allEntries = () =>
  owner()<{ tenantId: string; action: string; actorKind: string; actorId: string | null; targetKind: string | null; targetId: string | null; address: string | null; detail: Record<string, unknown> }[]>`
    select tenant_id, action, actor_kind, actor_id, target_kind, target_id, host(address) as address, detail
      from audit_events order by at, action`;

describe('every admin change is audited', () => {
  let world: World;

  beforeAll(async () => {
    const sandboxPort = await freePort();
    api = await startApi({ metaGraphUrl: `http://127.0.0.1:${sandboxPort}`, metaApp: { appId: devAppId, appSecret: META_APP_SECRET }, instanceId: 'audit-admin', runJobs: false });
    sandbox = await startSandbox({ port: sandboxPort });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await sandbox?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    const admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    const agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    const [operator] = await owner()<{ id: string }[]>`
      insert into operators (email, name, password_hash) values (${OPERATOR.email}, ${OPERATOR.name}, ${await hashPassword(OPERATOR.password)}) returning id`;
    const secret = await seedApiKey(tenantId, ['read', 'send', 'admin'], 'Integration');
    const [key] = await owner()<{ id: string }[]>`select id from api_keys where tenant_id = ${tenantId} and name = 'Integration'`;
    const departmentId = await seedDepartment(tenantId, { name: 'Support' });
    world = {
      tenantId,
      admin: { id: admin.id, session: await logIn(api.url, admin.email, admin.password) },
      agent: { id: agent.id, session: await logIn(api.url, agent.email, agent.password) },
      operator: { id: operator!.id, session: await logIn(api.url, OPERATOR.email, OPERATOR.password) },
      key: { id: key!.id, secret },
      departmentId,
    };
  });

  const call = async (who: Credentials, query: string, variables: Record<string, unknown> = {}) => {
    const res = await graphql(api.url, who, query, variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data;
  };

  it('has a row for every mutation of the contract: its entries, or why it writes none', () => {
    const contract = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
    const mutations = Object.keys(contract.getMutationType()!.getFields()).sort();
    const covered = [...Object.keys(ROWS), ...Object.keys(NOT_ADMIN_CHANGES)].sort();
    expect(covered).toEqual(mutations);
  });

  it.each(Object.keys(ROWS))('%s writes its entries, with who, what, from where and no personal data', async (mutation) => {
    // A row that sets something up first answers a function that makes the change: only what that writes counts.
    let before = (await allEntries()).length;
    let expected = await ROWS[mutation]!.run(world, call);
    if (typeof expected === 'function') {
      before = (await allEntries()).length;
      expected = await expected();
    }
    const added = (await allEntries()).slice(before);
    const actorIds = { admin: world.admin.id, agent: world.agent.id, key: world.key.id, operator: world.operator.id };
    const actorKinds = { admin: 'user', agent: 'user', key: 'api_key', operator: 'operator' };
    const want = expected.map((e) => ({
      tenantId: e.tenantId ?? world.tenantId,
      action: e.action,
      actorKind: actorKinds[e.actor],
      actorId: actorIds[e.actor],
      targetKind: e.target?.kind ?? null,
      targetId: e.target?.id ?? null,
      address: '127.0.0.1',
      detail: e.detail ?? {},
    }));
    const byAction = (a: { action: string }, b: { action: string }) => a.action.localeCompare(b.action);
    expect(added.sort(byAction)).toEqual(want.sort(byAction));
    const stored = JSON.stringify(added);
    expect(PERSONAL.filter((word) => stored.includes(word))).toEqual([]);
  });

  it('writes nothing for a change that is refused or fails', async () => {
    const before = (await allEntries()).length;
    // An agent may not create a department; a duplicate name is a conflict; an unknown person is not found.
    const refused = await graphql(api.url, world.agent.session, 'mutation { createDepartment(name: "Refunds") { __typename } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const conflict = await call(world.admin.session, 'mutation { createDepartment(name: "Support") { __typename } }');
    expect(conflict.createDepartment.__typename).toBe('ConflictError');
    const missing = await call(world.admin.session, 'mutation ($u: ID!) { updateUser(id: $u, role: ADMIN) { __typename } }', { u: gid('User', '00000000-0000-4000-8000-000000000000') });
    expect(missing.updateUser.__typename).toBe('NotFoundError');
    // A change to nothing changes nothing.
    const same = await call(world.admin.session, 'mutation ($u: ID!) { updateUser(id: $u, role: AGENT) { __typename } }', { u: gid('User', world.agent.id) });
    expect(same.updateUser.__typename).toBe('MutationUpdateUserSuccess');
    expect((await allEntries()).slice(before)).toEqual([]);
  });
});
