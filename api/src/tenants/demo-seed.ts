// The demo tenant's people and connection for `pnpm dev` only: an admin and an agent in a default
// Support department, and the sandbox's business token sealed in the vault. Idempotent; runs as owner.
import type { Sql } from '@switchboard/db/connect';
import { hashPassword } from '../auth/passwords.ts';
import { createVault, parseVaultKeys } from '../vault/vault.ts';
import { storeAccountToken } from './account-token.ts';
import { saveOperator } from './operator-repository.ts';

export async function seedDemoPeople(
  sql: Sql,
  demo: { tenantId: string; wabaId: string; accessToken: string; vaultKey: string; adminEmail: string; agentEmail: string; password: string },
): Promise<void> {
  const keys = parseVaultKeys(demo.vaultKey);
  if (!keys.ok) throw new Error(keys.problem);
  const passwordHash = await hashPassword(demo.password);
  await sql.begin(async (tx) => {
    await storeAccountToken(tx, createVault(keys.keys), { tenantId: demo.tenantId, wabaId: demo.wabaId, token: demo.accessToken });
    const [department] = await tx<{ id: string }[]>`
      insert into departments (tenant_id, name, is_default) values (${demo.tenantId}, 'Support', true)
      on conflict (tenant_id, name) do update set name = excluded.name returning id`;
    for (const [email, name, role] of [
      [demo.adminEmail, 'Demo Admin', 'admin'],
      [demo.agentEmail, 'Demo Agent', 'agent'],
    ] as const) {
      const [user] = await tx<{ id: string }[]>`
        insert into users (tenant_id, email, name, role, password_hash)
        values (${demo.tenantId}, ${email}, ${name}, ${role}, ${passwordHash})
        on conflict (tenant_id, email) do update set name = users.name returning id`;
      await tx`
        insert into department_members (tenant_id, department_id, user_id) values (${demo.tenantId}, ${department!.id}, ${user!.id})
        on conflict do nothing`;
    }
  });
}

/** A platform operator for `pnpm dev`, who can create tenants and connect their numbers. */
export async function seedDemoOperator(sql: Sql, demo: { email: string; password: string }): Promise<void> {
  const saved = await saveOperator(sql, { email: demo.email, name: 'Demo Operator', passwordHash: await hashPassword(demo.password) });
  if (!saved.ok) throw new Error(saved.problem);
}
