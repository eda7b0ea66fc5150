// Creating tenants with their WhatsApp account, number and a partner key. Used by the dev seed, the
// operator tooling to come, and tests. Runs as the migration owner.
import { generateApiKey, hashToken } from './tokens.ts';
import type { Sql } from './connect.ts';

export interface TenantSeed {
  name: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** A fixed key for development; omitted → a random one is generated and returned once. */
  apiKey?: string;
}

export interface SeededTenant {
  tenantId: string;
  apiKey: string;
}

/** Idempotent on the WABA id: seeding the same tenant twice returns the existing one. */
export async function seedTenant(sql: Sql, seed: TenantSeed): Promise<SeededTenant> {
  const apiKey = seed.apiKey ?? generateApiKey();
  return sql.begin(async (tx) => {
    const [existing] = await tx<{ tenantId: string }[]>`
      select tenant_id from whatsapp_accounts where waba_id = ${seed.wabaId}`;
    const tenantId =
      existing?.tenantId ??
      (await tx<{ id: string }[]>`insert into tenants (name) values (${seed.name}) returning id`)[0]!.id;
    await tx`
      insert into whatsapp_accounts (tenant_id, waba_id, name)
      values (${tenantId}, ${seed.wabaId}, ${seed.name})
      on conflict (tenant_id, waba_id) do nothing`;
    await tx`
      insert into phone_numbers (tenant_id, waba_id, phone_number_id, display_phone_number)
      values (${tenantId}, ${seed.wabaId}, ${seed.phoneNumberId}, ${seed.displayPhoneNumber})
      on conflict (tenant_id, phone_number_id) do nothing`;
    await tx`
      insert into api_keys (tenant_id, name, prefix, key_hash, scopes)
      values (${tenantId}, 'Seeded key', ${apiKey.slice(0, 12)}, ${hashToken(apiKey)}, ${['read', 'send']})
      on conflict (key_hash) do nothing`;
    return { tenantId, apiKey };
  }) as Promise<SeededTenant>;
}
