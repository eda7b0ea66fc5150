// Templates as Meta holds them: pulled with GET /<WABA_ID>/message_templates for every connected
// account of the tenant; template-status webhooks keep them current between syncs.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { GraphClient, MessageTemplate } from '../meta/graph-client.ts';
import type { createTokenCache } from './account-token.ts';

export async function upsertTemplates(tx: TransactionSql, wabaId: string, templates: MessageTemplate[]): Promise<void> {
  if (templates.length === 0) return;
  await tx`
    insert into message_templates as t (tenant_id, waba_id, template_id, name, language, category, status, parameter_format, components)
    select app_tenant_id(), ${wabaId}, x.id, x.name, x.language, x.category, x.status, x.parameter_format, x.components
      from json_to_recordset(${JSON.stringify(
        templates.map((m) => ({ id: m.id, name: m.name, language: m.language, category: m.category, status: m.status, parameter_format: m.parameterFormat ?? null, components: m.components })),
      )}::text::json) as x(id text, name text, language text, category text, status text, parameter_format text, components jsonb)
    on conflict (tenant_id, template_id) do update
       set name = excluded.name, language = excluded.language, category = excluded.category, status = excluded.status,
           parameter_format = excluded.parameter_format, components = excluded.components, updated_at = now()`;
}

export async function syncTemplates(
  { sql, graph, tokens }: { sql: Sql; graph: GraphClient; tokens: ReturnType<typeof createTokenCache> },
  tenantId: string,
  audit?: Omit<AuditSource, 'tenantId'>,
): Promise<number> {
  const accounts = await withTenant(sql, tenantId, (tx) =>
    tx<{ id: string; wabaId: string; sealed: string }[]>`
      select id, waba_id, access_token_sealed as sealed from whatsapp_accounts
       where tenant_id = app_tenant_id() and access_token_sealed is not null`,
  );
  let count = 0;
  for (const account of accounts) {
    const templates = await graph.listTemplates(tokens.open(tenantId, account.id, account.sealed), account.wabaId);
    await withTenant(sql, tenantId, async (tx) => {
      await upsertTemplates(tx, account.wabaId, templates);
      const detail = { wabaId: account.wabaId, templates: templates.length };
      if (audit) await recordChange(tx, { ...audit, tenantId }, { action: 'template.synced', target: { kind: 'whatsapp_account', id: account.wabaId }, detail });
    });
    count += templates.length;
  }
  return count;
}

export interface TemplateRow {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  quality: string;
  parameterFormat: string | null;
  components: Record<string, unknown>[];
}

export function listTemplates(tx: TransactionSql): Promise<TemplateRow[]> {
  return tx<TemplateRow[]>`
    select id, waba_id, name, language, category, status, quality, parameter_format, components from message_templates
     where tenant_id = app_tenant_id() order by name, language`;
}
