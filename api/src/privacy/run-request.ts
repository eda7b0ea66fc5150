// The run_privacy_request job: RECEIVED → IN_PROGRESS → COMPLETED, then the confirmation mail. The work
// of each kind and its completion commit together, so a request is never half done: a crash retries
// the whole step. A finished request whose requester was not told yet is told on the next run.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { objectToProcessing, restrictContact, type AuditActor } from '../contacts/consent.ts';
import type { Log } from '../logging/logger.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { MailNotSentError, type Mailer } from '../notify/mailer.ts';
import { privacyRequestMail, privacyRequestReference, type PrivacyMailKind } from '../notify/privacy-mail.ts';
import { CHANGES_CHANNEL, notifyChanges } from '../pubsub/change-events.ts';
import { getRetentionPolicy } from '../retention/retention-repository.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { purgeStaffMember } from '../users/purge-staff.ts';
import { eraseContact } from './erase-contact.ts';
import { writeLedgerFile } from './erasure-ledger.ts';
import { writeExport } from './export.ts';
import { announce, lockPrivacyRequest, recordStep, setRequestState, type PrivacyRequestRecord } from './request-repository.ts';

export interface PrivacyRunDeps {
  sql: Sql;
  blobs: BlobStore;
  mailer: Mailer;
  log: Log;
}

export interface PrivacyJob {
  tenantId: string;
  requestId: string;
}

const SYSTEM = { kind: 'system' } as const;

type Done = { outcome: string; detail: Record<string, unknown>; afterCommit?: () => Promise<void> };

export async function runPrivacyRequest(deps: PrivacyRunDeps, { tenantId, requestId }: PrivacyJob): Promise<void> {
  const started = await withTenant(deps.sql, tenantId, async (tx) => {
    const request = await lockPrivacyRequest(tx, requestId);
    if (!request || request.state !== 'received') return request;
    const moved = await setRequestState(tx, request.id, 'in_progress');
    await recordStep(tx, moved, SYSTEM, 'started');
    await announce(tx, moved);
    return moved;
  });
  if (!started) return;
  if (started.state === 'in_progress') {
    let after: Done['afterCommit'];
    await withTenant(deps.sql, tenantId, async (tx) => {
      const request = await lockPrivacyRequest(tx, requestId);
      if (!request || request.state !== 'in_progress') return;
      const done = await perform(tx, deps, request);
      after = done.afterCommit;
      const finished = await setRequestState(tx, request.id, 'completed', { outcome: done.outcome });
      await recordStep(tx, finished, SYSTEM, 'completed', done.detail);
      await announce(tx, finished);
    });
    await after?.();
  }
  await notifyRequester(deps, tenantId, requestId);
}

async function perform(tx: TransactionSql, deps: PrivacyRunDeps, request: PrivacyRequestRecord): Promise<Done> {
  const actor: AuditActor = { kind: 'system' };
  const contactOnly = (): Done => ({ outcome: 'Only a customer can be the subject of this kind of request.', detail: { skipped: 'staff_subject' } });
  switch (request.kind) {
    case 'access':
    case 'portability': {
      const written = await writeExport(tx, deps.blobs, { tenantId: request.tenantId, requestId: request.id, kind: request.kind, subjectKind: request.subjectKind, subjectId: request.subjectId });
      if (!written) return { outcome: 'Nothing is held about the subject.', detail: { files: 0 } };
      const { exportDays } = await getRetentionPolicy(tx);
      await tx`
        insert into privacy_exports (tenant_id, request_id, blob_key, byte_size, expires_at)
        values (${request.tenantId}, ${request.id}, ${written.blobKey}, ${written.byteSize}, now() + make_interval(days => ${exportDays}))`;
      await recordStep(tx, request, SYSTEM, 'exported', { byteSize: written.byteSize, mediaFiles: written.files, expiresInDays: exportDays });
      return { outcome: `Export ready for ${exportDays} days.`, detail: { byteSize: written.byteSize } };
    }
    case 'rectification': {
      const name = request.rectification?.displayName?.trim();
      if (!name) return { outcome: 'Nothing to correct.', detail: { fields: [] } };
      const table = request.subjectKind === 'contact' ? tx`contacts` : tx`users`;
      const column = request.subjectKind === 'contact' ? tx`display_name` : tx`name`;
      const [before] = await tx<{ value: string | null }[]>`
        select ${column} as value from ${table} where tenant_id = app_tenant_id() and id = ${request.subjectId} for update`;
      if (!before) return { outcome: 'The subject no longer exists.', detail: { fields: [] } };
      await tx`update ${table} set ${column} = ${name}, updated_at = now() where tenant_id = app_tenant_id() and id = ${request.subjectId}`;
      const target = { kind: request.subjectKind === 'contact' ? 'contact' : 'user', id: request.subjectId };
      // The old and new values, in the audit (blanked again should the person later be erased).
      await recordAudit(tx, request.tenantId, {
        action: `${target.kind}.rectified`,
        actor: SYSTEM,
        target,
        detail: { requestId: request.id, values: { [request.subjectKind === 'contact' ? 'displayName' : 'name']: { old: before.value, new: name } } },
      });
      if (request.subjectKind === 'contact') await notifyChanges(tx, request.tenantId, { conversationIds: await conversationsOf(tx, request.subjectId) });
      await recordStep(tx, request, SYSTEM, 'rectified', { fields: ['name'] });
      return { outcome: 'Profile corrected.', detail: { fields: ['name'] } };
    }
    case 'erasure': {
      if (request.subjectKind === 'staff') {
        const purged = await purgeStaffMember(tx, request.tenantId, request.subjectId, { actor, reason: 'erasure' });
        if (!purged.purged) {
          throw new PrivacyRunError(purged.reason === 'last_admin' ? 'The last active admin cannot be erased; make someone else admin first.' : 'The staff member no longer exists.');
        }
        await tx`select redact_audit_values('user', ${request.subjectId}::text)`;
        await tx`update privacy_requests set note = null, rectification = null where tenant_id = app_tenant_id() and subject_kind = 'staff' and subject_id = ${request.subjectId}`;
        await recordStep(tx, request, SYSTEM, 'erased', { staff: 1 });
        const departments = purged.requeuedDepartments;
        return {
          outcome: 'Staff member erased; their messages stay, as "Former agent".',
          detail: { staff: 1 },
          afterCommit: async () => void (departments.length > 0 && (await serveQueues(deps.sql, request.tenantId, departments))),
        };
      }
      const erased = await eraseContact(tx, request.tenantId, request.subjectId, { requestId: request.id });
      if (!erased) return { outcome: 'Nothing is held about the subject.', detail: {} };
      for (const id of erased.conversationIds) {
        await tx`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ topic: `conversationRemoved:${request.tenantId}`, detail: { id } })})`;
      }
      await writeLedgerFile(tx, deps.blobs, request.tenantId);
      await recordStep(tx, request, SYSTEM, 'erased', { ...erased.counts });
      const keys = erased.blobKeys;
      return {
        outcome: 'Customer erased.',
        detail: { conversations: erased.counts.conversations, messages: erased.counts.messages },
        // The files go now; the delete_media_blob jobs added with the rows are the backstop.
        afterCommit: async () => {
          for (const key of keys) await deps.blobs.delete(key).catch((error: unknown) => deps.log('warn', 'privacy: blob delete failed, its job retries', { error: String(error) }));
        },
      };
    }
    case 'restriction':
    case 'objection':
    case 'consent_withdrawal': {
      if (request.subjectKind !== 'contact') return contactOnly();
      const change =
        request.kind === 'restriction'
          ? await restrictContact(tx, request.tenantId, request.subjectId, { lift: request.lift, requestId: request.id, actor })
          : await objectToProcessing(tx, request.tenantId, request.subjectId, { kind: request.kind === 'objection' ? 'OBJECTION' : 'CONSENT_WITHDRAWAL', lift: request.lift, requestId: request.id, actor });
      if (!change) return { outcome: 'The subject no longer exists.', detail: {} };
      const step = request.lift ? 'lifted' : 'applied';
      await recordStep(tx, request, SYSTEM, step, { changed: change.changed });
      const what = { restriction: 'Restriction', objection: 'Objection', consent_withdrawal: 'Consent withdrawal' }[request.kind];
      return { outcome: `${what} ${request.lift ? 'lifted' : 'in force'}${change.changed ? '' : ' (it already was)'}.`, detail: { changed: change.changed } };
    }
  }
}

async function conversationsOf(tx: TransactionSql, contactId: string): Promise<string[]> {
  return (await tx<{ id: string }[]>`select id from conversations where tenant_id = app_tenant_id() and contact_id = ${contactId} limit 100`).map((r) => r.id);
}

/** A request that cannot be carried out as asked: it is rejected with this reason. */
export class PrivacyRunError extends Error {}

/** Tells the requester a finished request's outcome, once; their address is then forgotten. */
export async function notifyRequester(deps: PrivacyRunDeps, tenantId: string, requestId: string): Promise<void> {
  const pending = await withTenant(deps.sql, tenantId, async (tx) => {
    const [row] = await tx<{ kind: string; state: string; requesterEmail: string | null; tenantName: string }[]>`
      select r.kind, r.state, r.requester_email, t.name as tenant_name
        from privacy_requests r join tenants t on t.id = r.tenant_id
       where r.tenant_id = app_tenant_id() and r.id = ${requestId} and r.state in ('completed', 'rejected') and r.notified_at is null`;
    return row ?? null;
  });
  if (!pending) return;
  let step: 'notified' | 'notification_failed' | 'nothing_to_notify' = 'nothing_to_notify';
  if (pending.requesterEmail && deps.mailer.configured) {
    const mail = privacyRequestMail({
      kind: pending.kind.toUpperCase() as PrivacyMailKind,
      state: pending.state === 'completed' ? 'COMPLETED' : 'REJECTED',
      reference: privacyRequestReference(requestId),
      tenantName: pending.tenantName,
    });
    try {
      await deps.mailer.send({ to: pending.requesterEmail, ...mail });
      step = 'notified';
    } catch (error) {
      // A transient failure retries the job (and so this); a refusal for good is recorded and ends it.
      if (!(error instanceof MailNotSentError) || !error.permanent) throw error;
      step = 'notification_failed';
    }
  } else if (pending.requesterEmail) {
    step = 'notification_failed';
  }
  await withTenant(deps.sql, tenantId, async (tx) => {
    const request = await lockPrivacyRequest(tx, requestId);
    if (!request || request.notifiedAt) return;
    await tx`update privacy_requests set notified_at = now(), requester_email = null where tenant_id = app_tenant_id() and id = ${requestId}`;
    await recordStep(tx, request, SYSTEM, step, step === 'notification_failed' ? { reason: deps.mailer.configured ? 'refused' : 'mail_not_configured' } : {});
    await announce(tx, request);
  });
}

/** Rejects a request that could not be carried out (the job's last word on a PrivacyRunError). */
export async function rejectFailedRequest(deps: PrivacyRunDeps, job: PrivacyJob, reason: string): Promise<void> {
  await withTenant(deps.sql, job.tenantId, async (tx) => {
    const request = await lockPrivacyRequest(tx, job.requestId);
    if (!request || request.state === 'completed' || request.state === 'rejected') return;
    const rejected = await setRequestState(tx, request.id, 'rejected', { outcome: reason });
    await recordStep(tx, rejected, SYSTEM, 'rejected', { reason: 'cannot_be_done' });
    await announce(tx, rejected);
  });
  await notifyRequester(deps, job.tenantId, job.requestId);
}

/** The graphile-worker task. */
export function createPrivacyRequestTask(deps: PrivacyRunDeps) {
  return async (payload: unknown) => {
    const job = payload as PrivacyJob;
    try {
      await runPrivacyRequest(deps, job);
    } catch (error) {
      if (error instanceof PrivacyRunError) return rejectFailedRequest(deps, job, error.message);
      deps.log('error', 'privacy: request run failed; it will be retried', { requestId: job.requestId, error: error instanceof Error ? error.name : 'unknown' });
      throw error;
    }
  };
}
