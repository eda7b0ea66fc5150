// `pnpm --filter @switchboard/api operator:create`: how the first platform operator comes to exist.
// The command creates the operator (or gives an existing one a new password) and they sign in to the
// api like anyone else; an email a tenant's person already uses is refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql, logIn, owner, resetDatabase, runApiCli, seedDevTenant, seedUser, startApi, type RunningApi } from '../support/stack.ts';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ instanceId: 'operator-cli', runJobs: false });
});
afterAll(async () => {
  await api?.stop();
});
beforeEach(resetDatabase);

const createOperator = (env: Record<string, string>) => runApiCli('src/tenants/create-operator-cli.ts', env);

describe('operator:create', () => {
  it('creates an operator who signs in and sees the tenants, and resets their password when run again', async () => {
    const created = await createOperator({ OPERATOR_EMAIL: 'Ops@Switchboard.test', OPERATOR_NAME: 'Ops', OPERATOR_PASSWORD: 'first passphrase' });
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^created operator ops@switchboard\.test \([0-9a-f-]{36}\)\n$/);
    expect(created.stdout + created.stderr).not.toContain('first passphrase');

    const session = await logIn(api.url, 'ops@switchboard.test', 'first passphrase');
    const tenants = await graphql(api.url, session, '{ tenants(first: 5) { edges { node { name } } } }');
    expect(tenants).toEqual({ status: 200, data: { tenants: { edges: [] } } });

    const updated = await createOperator({ OPERATOR_EMAIL: 'ops@switchboard.test', OPERATOR_NAME: 'Ops', OPERATOR_PASSWORD: 'second passphrase' });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/^updated operator ops@switchboard\.test /);
    await expect(logIn(api.url, 'ops@switchboard.test', 'first passphrase')).rejects.toThrow('sign-in failed');
    await logIn(api.url, 'ops@switchboard.test', 'second passphrase');
    expect(await owner()`select email, name from operators`).toEqual([{ email: 'ops@switchboard.test', name: 'Ops' }]);
  });

  it("refuses a tenant person's email and a weak password", async () => {
    const { tenantId } = await seedDevTenant();
    await seedUser(tenantId, { email: 'admin@acme.test', role: 'admin' });
    expect(await createOperator({ OPERATOR_EMAIL: 'admin@acme.test', OPERATOR_PASSWORD: 'a fine passphrase' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'operator:create: admin@acme.test already signs in to a tenant; an operator needs an email of its own\n',
    });
    expect(await createOperator({ OPERATOR_EMAIL: 'ops@switchboard.test', OPERATOR_PASSWORD: 'short' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'operator:create: OPERATOR_PASSWORD: Passwords need at least 10 characters.\n',
    });
    expect(await owner()`select email from operators`).toEqual([]);
  });
});
