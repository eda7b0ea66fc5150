// ApiKey: partner keys and their administration. Managed by admins: a signed-in admin, or a key with
// the admin scope acting within its own scopes (see auth/manage-api-keys.ts). The secret is returned
// once, by createApiKey; only its hash is stored, so no query can ever show it again.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { findApiKeysByIds, listApiKeys, type ApiKeyRecord } from '../auth/api-key-repository.ts';
import { changeApiKeyScopes, createApiKey, revokeApiKey, type KeyManager, type KeyResult } from '../auth/manage-api-keys.ts';
import { auditSource, recordChange } from '../audit/audit-source.ts';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { builder } from './builder.ts';
import { KEY_ADMINS } from './read-rules.ts';
import { COMMON_ERRORS, NotFoundError, unwrap } from './errors.ts';
import { User } from './user.ts';

const ApiKeyScope = builder.enumType('ApiKeyScope', {
  values: {
    READ: { value: 'read', description: 'Read conversations, contacts, messages and settings.' },
    SEND: { value: 'send', description: 'Send replies and work conversations (assign, label, close).' },
    ADMIN: { value: 'admin', description: 'Administer the tenant: people, departments, templates and keys (keys only within its own scopes).' },
  } as const,
});

export const ApiKey = builder.objectRef<ApiKeyRecord>('ApiKey');

ApiKey.implement({
  authScopes: KEY_ADMINS,
  description: 'A partner API key. The secret itself is never shown after creation.',
  fields: (t) => ({
    id: t.globalID({ resolve: (k) => ({ type: 'ApiKey', id: k.id }) }),
    name: t.exposeString('name'),
    scopes: t.field({ type: [ApiKeyScope], resolve: (k) => k.scopes }),
    hint: t.string({
      description: 'The start and end of the key, to tell keys apart: "sb_live_1a2b…9f0e".',
      resolve: (k) => `${k.prefix}…${k.lastFour ?? ''}`,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.createdAt }),
    createdBy: t.field({
      type: User,
      nullable: true,
      description: 'The person who created the key (null when a key created it, or for keys made at onboarding).',
      resolve: (k, _args, ctx) => (k.createdBy ? ctx.loaders.users.load(k.createdBy) : null),
    }),
    createdByKey: t.field({
      type: ApiKey,
      nullable: true,
      description: 'The admin key that created this one; revoking it revokes this key too.',
      resolve: async (k, _args, ctx) => (k.createdByKey ? ((await inTenant(ctx, (tx) => findApiKeysByIds(tx, [k.createdByKey!])))[0] ?? null) : null),
    }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, description: 'To the minute.', resolve: (k) => k.lastUsedAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revokedAt }),
    active: t.boolean({ resolve: (k) => !k.revokedAt }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for, e.g. "CRM sync".' }),
    scopes: t.field({ type: [ApiKeyScope], required: true }),
  }),
});

const admins = { role: 'admin', keyScope: 'admin' } as const;

function keyManager(ctx: Pick<Context, 'viewer'>): KeyManager {
  const viewer = tenantViewer(ctx);
  return viewer.kind === 'user' ? { kind: 'user', userId: viewer.userId } : { kind: 'apiKey', apiKeyId: viewer.apiKeyId, scopes: viewer.scopes };
}

const keyResult = <T>(result: KeyResult<T>): T => unwrap(result, 'API key');

/** The uuid in an ApiKey global id; any other id names no key. */
function keyId({ typename, id }: { typename: string; id: unknown }): string {
  if (typename !== 'ApiKey' || typeof id !== 'string' || !isUuid(id)) throw new NotFoundError('API key');
  return id;
}

builder.queryField('apiKeys', (t) =>
  t.connection({
    type: ApiKey,
    description: "The tenant's partner keys, newest first.",
    authScopes: admins,
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, args, ctx) => {
      const keys = await inTenant(ctx, (tx) => listApiKeys(tx, { includeRevoked: !!args.includeRevoked }));
      return resolveArrayConnection({ args, defaultSize: 100, maxSize: 500 }, keys);
    },
  }),
);

/** What createApiKey returns: the record and, this once, the secret. */
type CreatedApiKey = ApiKeyRecord & { secret: string };

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: ApiKey,
    description: 'Creates a key. Its secret is in this answer only: store it now, it cannot be shown again.',
    authScopes: admins,
    errors: {
      types: COMMON_ERRORS,
      dataField: { name: 'apiKey' },
      result: {
        fields: (r) => ({
          secret: r.string({
            description: 'The key, for `Authorization: Bearer <secret>`. Shown once.',
            resolve: (created) => (created as CreatedApiKey).secret,
          }),
        }),
      },
    },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx): Promise<CreatedApiKey> => {
      const created = await inTenant(ctx, async (tx) => {
        const result = await createApiKey(tx, keyManager(ctx), input);
        if (result.ok) {
          const { id, scopes } = result.value.apiKey;
          await recordChange(tx, auditSource(ctx), { action: 'api_key.created', target: { kind: 'api_key', id }, detail: { scopes } });
        }
        return result;
      });
      const { apiKey, secret } = keyResult(created);
      return { ...apiKey, secret };
    },
  }),
  updateApiKeyScopes: t.field({
    type: ApiKey,
    description: 'Replaces the scopes of a key; takes effect on its next request.',
    authScopes: admins,
    errors: { types: COMMON_ERRORS, dataField: { name: 'apiKey' } },
    args: { id: t.arg.globalID({ required: true }), scopes: t.arg({ type: [ApiKeyScope], required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = keyId(args.id);
      const changed = await inTenant(ctx, async (tx) => {
        const [before] = await findApiKeysByIds(tx, [id]);
        const result = await changeApiKeyScopes(tx, keyManager(ctx), id, args.scopes);
        if (result.ok && before && before.scopes.join() !== result.value.scopes.join()) {
          const detail = { from: before.scopes, to: result.value.scopes };
          await recordChange(tx, auditSource(ctx), { action: 'api_key.scopes_changed', target: { kind: 'api_key', id }, detail });
        }
        return result;
      });
      return keyResult(changed);
    },
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: 'Revokes a key, and every key it created, at once: their next request is refused.',
    authScopes: admins,
    errors: { types: COMMON_ERRORS, dataField: { name: 'apiKey' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = keyId(args.id);
      const revoked = await inTenant(ctx, async (tx) => {
        const result = await revokeApiKey(tx, keyManager(ctx), id);
        // Revoking a revoked key changes nothing and records nothing.
        if (result.ok && result.value.revoked.length > 0) {
          const detail = { alsoRevoked: result.value.revoked.filter((k) => k !== id) };
          await recordChange(tx, auditSource(ctx), { action: 'api_key.revoked', target: { kind: 'api_key', id }, detail });
        }
        return result.ok ? { ok: true as const, value: result.value.apiKey } : result;
      });
      return keyResult(revoked);
    },
  }),
}));
