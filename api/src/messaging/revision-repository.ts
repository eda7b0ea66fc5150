// SQL for edits and revokes: customers' of their own messages, and the business's, in the WhatsApp
// Business app, of its echoed ones. Each is kept by its own wamid (so a redelivery lands once) until the
// message it changes is stored, then applied in the order they were made. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
import type { TransactionSql } from '@switchboard/db/connect';
import { epoch, textArray } from '@switchboard/db/json-rows';
import type { RevisionInput } from '../ingest/parse-webhook.ts';

/** Stores revisions never seen before; the caller holds the locks on their wamids and their originals'. */
export async function insertRevisions(tx: TransactionSql, rows: RevisionInput[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({
    wamid: r.wamid,
    original_wamid: r.originalWamid,
    kind: r.kind,
    author: r.author,
    text: r.text,
    occurred_at: epoch(r.occurredAt),
  }));
  await tx`
    insert into message_revisions (tenant_id, wamid, original_wamid, kind, author, text, occurred_at)
    select app_tenant_id(), x.wamid, x.original_wamid, x.kind, x.author, x.text, to_timestamp(x.occurred_at)
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(wamid text, original_wamid text, kind text, author text, text text, occurred_at float8)
    on conflict (tenant_id, wamid) do nothing`;
}

interface PendingRevision {
  wamid: string;
  kind: 'edit' | 'revoke';
  text: string | null;
  occurredAt: Date;
  messageId: string;
  conversationId: string;
  type: string;
  currentText: string | null;
  content: Record<string, unknown>;
  sentAt: Date;
  editedAt: Date | null;
  revokedAt: Date | null;
  previousVersions: Version[];
}

interface Version {
  text: string | null;
  at: string;
}

export interface AppliedRevisions {
  /** Messages that changed: announced to subscribers. */
  messages: [messageId: string, conversationId: string][];
  /** Blob keys of revoked messages' files: removed from the blob store by a job added in this transaction. */
  blobKeys: string[];
}

/**
 * Applies every unapplied revision of the messages with these wamids that are stored now.
 * An edit makes its text the message's current one (or, when it is older than the current version, an
 * earlier one) and keeps the replaced text; a revoke removes text, content, earlier versions and media.
 * Applied revisions keep no text of their own.
 */
export async function applyPendingRevisions(tx: TransactionSql, originalWamids: string[]): Promise<AppliedRevisions> {
  const applied: AppliedRevisions = { messages: [], blobKeys: [] };
  if (originalWamids.length === 0) return applied;
  const pending = await tx<PendingRevision[]>`
    select r.wamid, r.kind, r.text, r.occurred_at, m.id as message_id, m.conversation_id, m.type, m.text as current_text,
           m.content, m.sent_at, m.edited_at, m.revoked_at, m.previous_versions
      from message_revisions r
      -- Each side changes only its own messages: the customer their inbound ones, the business its echoes.
      join messages m on m.tenant_id = r.tenant_id and m.wamid = r.original_wamid
                     and (case r.author when 'customer' then m.direction = 'inbound'
                                        else m.direction = 'outbound' and m.origin = 'business_app' end)
     where r.tenant_id = app_tenant_id() and r.applied_at is null
       and r.original_wamid = any(${textArray(tx, [...new Set(originalWamids)])})
     order by r.occurred_at, r.wamid`;
  // Several revisions of one message in a batch build on each other: keep the state between them.
  const state = new Map<string, Pick<PendingRevision, 'currentText' | 'content' | 'editedAt' | 'revokedAt' | 'previousVersions'>>();
  for (const r of pending) {
    const current = state.get(r.messageId) ?? r;
    let next = current;
    if (current.revokedAt) {
      // Deleted stays deleted: a late edit adds nothing back.
    } else if (r.kind === 'revoke') {
      next = { currentText: null, content: {}, editedAt: current.editedAt, revokedAt: r.occurredAt, previousVersions: [] };
      const removed = await tx<{ blobKey: string | null }[]>`
        delete from media where tenant_id = app_tenant_id() and message_id = ${r.messageId} returning blob_key`;
      applied.blobKeys.push(...removed.flatMap((m) => (m.blobKey ? [m.blobKey] : [])));
    } else {
      const versions: Version[] = [
        ...current.previousVersions,
        { text: current.currentText, at: (current.editedAt ?? r.sentAt).toISOString() },
        { text: r.text, at: r.occurredAt.toISOString() },
      ].sort((a, b) => a.at.localeCompare(b.at));
      const latest = versions.pop()!;
      const key = r.type === 'text' ? 'body' : 'caption';
      next = {
        currentText: latest.text,
        content: { ...current.content, [key]: latest.text ?? '' },
        editedAt: new Date(latest.at),
        revokedAt: null,
        previousVersions: versions,
      };
    }
    state.set(r.messageId, next);
    await tx`
      update message_revisions set applied_at = now(), text = null
       where tenant_id = app_tenant_id() and wamid = ${r.wamid}`;
    if (next !== current) {
      await tx`
        update messages
           set text = ${next.currentText}, content = ${JSON.stringify(next.content)}::text::jsonb,
               edited_at = ${next.editedAt}, revoked_at = ${next.revokedAt},
               previous_versions = ${JSON.stringify(next.previousVersions)}::text::jsonb, updated_at = now()
         where tenant_id = app_tenant_id() and id = ${r.messageId}`;
      applied.messages.push([r.messageId, r.conversationId]);
    }
  }
  if (applied.blobKeys.length > 0) {
    await tx`
      select graphile_worker.add_job('delete_media_blob', json_build_object('key', k), max_attempts => 25)
        from unnest(${textArray(tx, applied.blobKeys)}) as k`;
  }
  return applied;
}
