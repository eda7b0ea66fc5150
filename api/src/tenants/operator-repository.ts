// Platform operators: the people who create tenants. Written only by the operator command and the dev
// seed, as the migration owner; operators sign in like everyone else (find_login, migration 00016).
import type { Sql } from '@switchboard/db/connect';

export type OperatorSave = { ok: true; operatorId: string; created: boolean } | { ok: false; problem: string };

/**
 * Creates the operator, or gives an existing one a new name and password. An email that already
 * signs in a tenant's person is refused: one sign-in name means one account across the platform.
 */
export async function saveOperator(sql: Sql, operator: { email: string; name: string; passwordHash: string }): Promise<OperatorSave> {
  return sql.begin(async (tx) => {
    const [person] = await tx`select 1 from users where email = ${operator.email}`;
    if (person) return { ok: false, problem: `${operator.email} already signs in to a tenant; an operator needs an email of its own` } as const;
    const [row] = await tx<{ id: string; created: boolean }[]>`
      insert into operators (email, name, password_hash) values (${operator.email}, ${operator.name}, ${operator.passwordHash})
      on conflict (email) do update set name = excluded.name, password_hash = excluded.password_hash
      returning id, (xmax = 0) as created`;
    return { ok: true, operatorId: row!.id, created: row!.created } as const;
  }) as Promise<OperatorSave>;
}
