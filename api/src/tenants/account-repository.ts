// Account-level webhook effects: template status, category and quality changes, and WABA account updates.
import type { TransactionSql } from '@switchboard/db/connect';
import type { AccountUpdate, TemplateCategoryUpdate, TemplateQualityUpdate, TemplateUpdate } from '../ingest/parse-webhook.ts';

export async function applyTemplateUpdates(tx: TransactionSql, rows: TemplateUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  // Later reports for the same template win.
  const latest = [...new Map(rows.map((t) => [t.templateId, t])).values()];
  const payload = latest.map((t) => ({
    waba_id: t.wabaId,
    template_id: t.templateId,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    reason: t.reason,
  }));
  await tx`
    insert into message_templates as t (tenant_id, waba_id, template_id, name, language, category, status, reason)
    select app_tenant_id(), x.waba_id, x.template_id, x.name, x.language, x.category, x.status, x.reason
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(waba_id text, template_id text, name text, language text, category text, status text, reason text)
    on conflict (tenant_id, template_id) do update
       set status = excluded.status,
           reason = excluded.reason,
           name = coalesce(nullif(excluded.name, ''), t.name),
           language = coalesce(nullif(excluded.language, ''), t.language),
           category = coalesce(excluded.category, t.category),
           updated_at = now()`;
}

/**
 * Meta changed templates' categories (template_category_update) or rated their quality
 * (message_template_quality_update). A template not known yet is kept, with review state UNKNOWN until
 * its status update or the next sync names it. Later reports for the same template win.
 */
export async function applyTemplateChanges(
  tx: TransactionSql,
  { categories, qualities }: { categories: TemplateCategoryUpdate[]; qualities: TemplateQualityUpdate[] },
): Promise<void> {
  const latest = <T extends { templateId: string }>(rows: T[]) => [...new Map(rows.map((t) => [t.templateId, t])).values()];
  const row = (t: TemplateCategoryUpdate | TemplateQualityUpdate) => ({
    waba_id: t.wabaId,
    template_id: t.templateId,
    name: t.name,
    language: t.language,
    category: 'category' in t ? t.category : null,
    quality: 'quality' in t ? t.quality : 'UNKNOWN',
  });
  const upsert = (rows: ReturnType<typeof row>[], column: 'category' | 'quality') => tx`
    insert into message_templates as t (tenant_id, waba_id, template_id, name, language, category, status, quality)
    select app_tenant_id(), x.waba_id, x.template_id, x.name, x.language, x.category, 'UNKNOWN', x.quality
      from json_to_recordset(${JSON.stringify(rows)}::text::json)
        as x(waba_id text, template_id text, name text, language text, category text, quality text)
    on conflict (tenant_id, template_id) do update
       set ${column === 'category' ? tx`category = excluded.category` : tx`quality = excluded.quality`},
           name = coalesce(nullif(excluded.name, ''), t.name),
           language = coalesce(nullif(excluded.language, ''), t.language),
           updated_at = now()`;
  if (categories.length > 0) await upsert(latest(categories).map(row), 'category');
  if (qualities.length > 0) await upsert(latest(qualities).map(row), 'quality');
}

export async function applyAccountUpdates(tx: TransactionSql, rows: AccountUpdate[]): Promise<void> {
  for (const a of rows) {
    await tx`
      update whatsapp_accounts
         set last_event = ${a.event},
             restriction_info = ${a.restrictionInfo === null ? null : JSON.stringify(a.restrictionInfo)}::text::jsonb,
             status = case when ${a.event} in ('DISABLED_UPDATE', 'ACCOUNT_DELETED') then 'disabled'
                           when ${a.event} = 'ACCOUNT_RESTRICTION' then 'restricted'
                           when ${a.event} = 'ACCOUNT_VIOLATION' then 'violation'
                           else status end,
             updated_at = now()
       where tenant_id = app_tenant_id() and waba_id = ${a.wabaId}`;
  }
}
