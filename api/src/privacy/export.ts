// The export of an ACCESS or PORTABILITY request: everything held about the subject, as one
// machine-readable JSON document (`export.json`, format in docs/privacy-export.md) in a zip beside the
// media files it lists (`media/<media id>`). Read in the tenant's scope; written to the blob store under
// tenants/<tenant>/exports/<request>.zip and downloaded by the tenant's admins only (http/privacy-export-route.ts).
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { TransactionSql } from '@switchboard/db/connect';
import type { BlobStore } from '../media/blob-store.ts';
import { listConsentHistory } from '../contacts/consent.ts';

export const EXPORT_FORMAT = 'switchboard.privacy-export';
export const EXPORT_VERSION = 1;

export const exportBlobKey = (tenantId: string, requestId: string) => `tenants/${tenantId}/exports/${requestId}.zip`;

type Row = Record<string, unknown>;

interface Built {
  document: Row;
  media: { id: string; blobKey: string }[];
}

async function contactDocument(tx: TransactionSql, contactId: string): Promise<Built | null> {
  const [profile] = await tx<Row[]>`
    select id, wa_id, user_id, parent_user_id, display_name, opted_out, opted_out_at, marketing_opt_out,
           restricted, consent_withdrawn_at, created_at, updated_at
      from contacts where tenant_id = app_tenant_id() and id = ${contactId}`;
  if (!profile) return null;
  const conversations = await tx<Row[]>`
    select c.id, p.display_phone_number as business_number, c.status, d.name as department, c.created_at,
           c.last_inbound_at, c.last_message_at, c.resolved_at
      from conversations c
      left join phone_numbers p on p.tenant_id = c.tenant_id and p.phone_number_id = c.phone_number_id
      left join departments d on d.tenant_id = c.tenant_id and d.id = c.department_id
     where c.tenant_id = app_tenant_id() and c.contact_id = ${contactId}
     order by c.created_at`;
  const conversationIds = conversations.map((c) => c.id as string);
  const [messages, statuses, revisions, media, notes, labels, events, mentions, requests, consent] = await Promise.all([
    tx<Row[]>`
      select m.id, m.conversation_id, m.wamid, m.direction, m.type, m.origin, m.text, m.content, m.context, m.status,
             m.errors, m.sent_at, m.created_at, (u.id is not null) as by_staff
        from messages m left join users u on u.tenant_id = m.tenant_id and u.id = m.author_id
       where m.tenant_id = app_tenant_id() and m.conversation_id = any(${conversationIds}::uuid[])
       order by m.conversation_id, m.seq nulls last, m.created_at`,
    tx<Row[]>`
      select s.wamid, s.status, s.occurred_at, s.errors, s.pricing from status_events s
       where s.tenant_id = app_tenant_id()
         and s.wamid in (select m.wamid from messages m where m.tenant_id = app_tenant_id() and m.conversation_id = any(${conversationIds}::uuid[]))
       order by s.occurred_at`,
    tx<Row[]>`
      select r.original_wamid, r.kind, r.text, r.content, r.occurred_at from message_revisions r
       where r.tenant_id = app_tenant_id()
         and r.original_wamid in (select m.wamid from messages m where m.tenant_id = app_tenant_id() and m.conversation_id = any(${conversationIds}::uuid[]))
       order by r.occurred_at`,
    tx<Row[]>`
      select d.id, d.message_id, d.mime_type, d.filename, d.byte_size, d.sha256, d.status, d.blob_key from media d
       where d.tenant_id = app_tenant_id()
         and d.message_id in (select m.id from messages m where m.tenant_id = app_tenant_id() and m.conversation_id = any(${conversationIds}::uuid[]))`,
    tx<Row[]>`
      select n.id, n.conversation_id, n.body, n.created_at from conversation_notes n
       where n.tenant_id = app_tenant_id() and n.conversation_id = any(${conversationIds}::uuid[]) order by n.created_at`,
    tx<Row[]>`
      select cl.conversation_id, l.name from conversation_labels cl join labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id
       where cl.tenant_id = app_tenant_id() and cl.conversation_id = any(${conversationIds}::uuid[])`,
    tx<Row[]>`
      select e.conversation_id, e.kind, e.at, e.details from conversation_events e
       where e.tenant_id = app_tenant_id() and e.conversation_id = any(${conversationIds}::uuid[]) order by e.at`,
    // Notes in other conversations that quote their number or id.
    tx<Row[]>`
      select n.id, n.conversation_id, n.body, n.created_at from conversation_notes n
       where n.tenant_id = app_tenant_id() and not (n.conversation_id = any(${conversationIds}::uuid[]))
         and exists (select 1 from unnest(${[profile.waId, profile.userId].filter((v) => typeof v === 'string') as string[]}::text[]) q
                      where strpos(n.body, q) > 0)`,
    tx<Row[]>`
      select r.id, r.kind, r.state, r.source, r.received_at, r.due_at, r.completed_at, r.outcome,
             coalesce((select json_agg(json_build_object('at', s.at, 'action', s.action) order by s.at)
                         from privacy_request_steps s where s.tenant_id = r.tenant_id and s.request_id = r.id), '[]') as steps
        from privacy_requests r
       where r.tenant_id = app_tenant_id() and r.subject_kind = 'contact' and r.subject_id = ${contactId}
       order by r.received_at`,
    listConsentHistory(tx, contactId),
  ]);
  const byWamid = <T extends Row>(rows: T[], key: string) => {
    const map = new Map<string, T[]>();
    for (const r of rows) map.set(r[key] as string, [...(map.get(r[key] as string) ?? []), r]);
    return map;
  };
  const statusOf = byWamid(statuses, 'wamid');
  const revisionsOf = byWamid(revisions, 'originalWamid');
  const mediaOf = byWamid(media, 'messageId');
  const document: Row = {
    subject: { kind: 'customer' },
    profile,
    consentHistory: consent,
    conversations: conversations.map((c) => ({
      ...c,
      labels: labels.filter((l) => l.conversationId === c.id).map((l) => l.name),
      events: events.filter((e) => e.conversationId === c.id).map(({ conversationId: _, ...e }) => e),
      notes: notes.filter((n) => n.conversationId === c.id).map(({ conversationId: _, ...n }) => n),
      messages: messages
        .filter((m) => m.conversationId === c.id)
        .map(({ conversationId: _, ...m }) => ({
          ...m,
          statuses: (statusOf.get(m.wamid as string) ?? []).map(({ wamid: _w, ...s }) => s),
          revisions: (revisionsOf.get(m.wamid as string) ?? []).map(({ originalWamid: _o, ...r }) => r),
          media: (mediaOf.get(m.id as string) ?? []).map(({ blobKey, messageId: _m, ...d }) => ({ ...d, file: blobKey ? `media/${d.id as string}` : null })),
        })),
    })),
    notesMentioningThem: mentions,
    privacyRequests: requests,
    // Switchboard has no AI features yet; when it does, their outputs about the subject are listed here.
    aiOutputs: [],
  };
  return { document, media: media.filter((d) => d.blobKey).map((d) => ({ id: d.id as string, blobKey: d.blobKey as string })) };
}

async function staffDocument(tx: TransactionSql, userId: string): Promise<Built | null> {
  const [profile] = await tx<Row[]>`
    select id, email, name, role, capacity, presence, created_at, deactivated_at, purged_at
      from users where tenant_id = app_tenant_id() and id = ${userId}`;
  if (!profile) return null;
  const [sessions, departments, notes, messages, actions] = await Promise.all([
    tx<Row[]>`select created_at, last_seen_at, expires_at, revoked_at, user_agent from sessions where tenant_id = app_tenant_id() and user_id = ${userId} order by created_at`,
    tx<Row[]>`
      select d.name from department_members m join departments d on d.tenant_id = m.tenant_id and d.id = m.department_id
       where m.tenant_id = app_tenant_id() and m.user_id = ${userId} order by d.name`,
    tx<Row[]>`select id, conversation_id, body, created_at from conversation_notes where tenant_id = app_tenant_id() and author_id = ${userId} order by created_at`,
    tx<Row[]>`select id, conversation_id, type, text, sent_at, created_at from messages where tenant_id = app_tenant_id() and author_id = ${userId} order by created_at`,
    tx<Row[]>`
      select at, action, host(address) as address from audit_events
       where tenant_id = app_tenant_id() and actor_kind = 'user' and actor_id = ${userId} order by at`,
  ]);
  return {
    document: {
      subject: { kind: 'staff' },
      profile,
      departments: departments.map((d) => d.name),
      sessions,
      notesWritten: notes,
      messagesSent: messages,
      actions,
      aiOutputs: [],
    },
    media: [],
  };
}

/** Builds the zip and stores it; answers its size. Null when the subject no longer exists. */
export async function writeExport(
  tx: TransactionSql,
  blobs: BlobStore,
  { tenantId, requestId, kind, subjectKind, subjectId }: { tenantId: string; requestId: string; kind: 'access' | 'portability'; subjectKind: 'contact' | 'staff'; subjectId: string },
): Promise<{ blobKey: string; byteSize: number; files: number } | null> {
  const built = subjectKind === 'contact' ? await contactDocument(tx, subjectId) : await staffDocument(tx, subjectId);
  if (!built) return null;
  const files: Zippable = {
    'export.json': strToU8(JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, request: { id: requestId, kind }, generatedAt: new Date(), ...built.document }, null, 2)),
  };
  let count = 0;
  for (const m of built.media) {
    const blob = await blobs.get(m.blobKey);
    if (!blob) continue;
    files[`media/${m.id}`] = [blob.bytes, { level: 0 }];
    count += 1;
  }
  const zip = zipSync(files, { level: 6 });
  const blobKey = exportBlobKey(tenantId, requestId);
  await blobs.put(blobKey, zip, { contentType: 'application/zip' });
  return { blobKey, byteSize: zip.byteLength, files: count };
}
