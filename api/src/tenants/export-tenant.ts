// "Its admins can export everything": one zip of all a tenant holds — a JSON file per table with a
// tenant_id (every row of the tenant, secrets left out) and every stored media file — kept in the blob
// store under tenants/<id>/exports/ and downloadable by the tenant's admins (http/tenant-export-route.ts)
// until the tenant's export period ends, when the retention sweep deletes it (sweepTenantExports).
// Works in a closed tenant too: that is what the grace period is for.
//
// Tables are found in the database's catalogue, so a table added later is exported without anyone
// remembering to; EXCLUDED_TABLES and SECRET_COLUMNS say what is left out and why.
import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { extensionOf } from '../media/media-types.ts';

/** Tables of tenant data the export leaves out, and why. */
export const EXCLUDED_TABLES: Record<string, string> = {
  sessions: 'sign-in tokens (hashed) and devices; sign-ins are in the audit log',
  presence_sockets: 'live socket counts of running api processes',
  tenant_exports: 'earlier exports: files, not data',
  erasure_salts: 'the secret that keeps the erasure ledger from being reversed by guessing numbers',
  erasure_ledger: 'salted hashes of what was erased: nothing a person could read, and kept only to stop erased data coming back',
  privacy_exports: 'earlier privacy exports: files, not data (the requests themselves are exported)',
  analytics_exports: 'earlier analytics CSV files: figures the export holds anyway, as rollups',
  analytics_dirty: 'conversations waiting for the analytics folder: a work queue, not data',
};

/** Columns never exported: hashes of passwords, keys, tokens and recovery codes, sealed Meta access tokens and TOTP secrets. */
export const SECRET_COLUMNS = new Set([
  'password_hash',
  'key_hash',
  'token_hash',
  'access_token_sealed',
  'access_token_key_id',
  'secret_sealed',
  'secret_key_id',
  'code_hash',
]);

/** Export format version, in manifest.json; docs/privacy.md (the export its admins can export) describes it. */
export const EXPORT_FORMAT = 1;

export interface TenantExportRecord {
  id: string;
  blobKey: string;
  byteSize: number;
  createdAt: Date;
  expiresAt: Date;
}

export const tenantExportKey = (tenantId: string, exportId: string) => `tenants/${tenantId}/exports/tenant-${exportId}.zip`;

interface TableColumns {
  table: string;
  columns: string[];
}

/**
 * Every table with a tenant_id, with its columns in order: from the catalogue, names only. Generated
 * columns (messages.search_vector) are left out: the database computes them again from the row.
 */
export function tenantTables(tx: TransactionSql): Promise<TableColumns[]> {
  return tx<TableColumns[]>`
    select c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as columns
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public' and c.is_generated = 'NEVER'
       and exists (select 1 from information_schema.columns k
                    where k.table_schema = c.table_schema and k.table_name = c.table_name and k.column_name = 'tenant_id')
     group by c.table_name
     order by c.table_name`;
}

/**
 * Builds the zip, stores it and records it (with a tenant.exported audit entry by `audit`'s actor).
 * The whole export is read in one transaction, so it is a consistent snapshot.
 */
export async function exportTenant(
  sql: Sql,
  blobs: BlobStore,
  tenantId: string,
  { audit, now = new Date() }: { audit: AuditSource; now?: Date },
): Promise<TenantExportRecord> {
  const id = randomUUID();
  const files: Zippable = {};
  const counts: Record<string, number> = {};
  const mediaFiles: Record<string, string> = {};
  await withTenant(sql, tenantId, async (tx) => {
    for (const { table, columns } of await tenantTables(tx)) {
      if (table in EXCLUDED_TABLES) continue;
      const kept = columns.filter((c) => !SECRET_COLUMNS.has(c));
      const rows = await tx`select ${tx(kept)} from ${tx(table)} where tenant_id = app_tenant_id()`;
      counts[table] = rows.length;
      files[`tables/${table}.json`] = strToU8(JSON.stringify(rows, null, 1));
    }
    const media = await tx<{ id: string; blobKey: string; mimeType: string | null }[]>`
      select id, blob_key, mime_type from media where tenant_id = app_tenant_id() and status = 'stored' and blob_key is not null order by created_at, id`;
    for (const m of media) {
      const blob = await blobs.get(m.blobKey);
      if (!blob) continue;
      const path = `media/${m.id}.${extensionOf(m.mimeType ?? blob.contentType)}`;
      // Media are compressed already: stored, not deflated again.
      files[path] = [blob.bytes, { level: 0 }];
      mediaFiles[m.id] = path;
    }
  });
  const manifest = { format: EXPORT_FORMAT, tenantId, exportId: id, exportedAt: now.toISOString(), tables: counts, media: mediaFiles };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 1));
  const zip = zipSync(files, { level: 6 });
  const blobKey = tenantExportKey(tenantId, id);
  await blobs.put(blobKey, zip, { contentType: 'application/zip' });
  try {
    return await withTenant(sql, tenantId, async (tx) => {
      const [record] = await tx<TenantExportRecord[]>`
        insert into tenant_exports (tenant_id, id, blob_key, byte_size, actor_kind, actor_id, created_at, expires_at)
        values (app_tenant_id(), ${id}, ${blobKey}, ${zip.byteLength}, ${audit.actor.kind}, ${audit.actor.id}, ${now},
                ${now}::timestamptz + make_interval(days => (retention_policy_of(app_tenant_id())).export_days))
        returning id, blob_key, byte_size, created_at, expires_at`;
      await recordChange(tx, audit, {
        action: 'tenant.exported',
        target: { kind: 'tenant_export', id },
        detail: { byteSize: zip.byteLength, media: Object.keys(mediaFiles).length },
      });
      return { ...record!, byteSize: Number(record!.byteSize) };
    });
  } catch (error) {
    await blobs.delete(blobKey).catch(() => {});
    throw error;
  }
}

/** An export of the transaction's tenant that has not expired at `now`. */
export async function findLiveTenantExport(tx: TransactionSql, id: string, now = new Date()): Promise<TenantExportRecord | undefined> {
  const [row] = await tx<TenantExportRecord[]>`
    select id, blob_key, byte_size, created_at, expires_at from tenant_exports
     where tenant_id = app_tenant_id() and id = ${id} and expires_at > ${now}`;
  return row ? { ...row, byteSize: Number(row.byteSize) } : undefined;
}

/**
 * Exports past their expiry: rows deleted, files deleted by delete_media_blob jobs added in the same
 * transaction (so a file goes even if this process stops). Part of the retention sweeps.
 */
export async function sweepTenantExports(sql: Sql, tenantId: string, { now }: { now: Date }): Promise<number> {
  const [row] = await withTenant(sql, tenantId, (tx) => tx<{ n: number }[]>`
    with gone as (
      delete from tenant_exports where tenant_id = app_tenant_id() and expires_at <= ${now} returning blob_key
    ), jobs as (
      select graphile_worker.add_job('delete_media_blob', json_build_object('key', g.blob_key), max_attempts => 25) from gone g
    )
    select (select count(*) from gone)::int as n, (select count(*) from jobs)::int as jobs`);
  return row!.n;
}
