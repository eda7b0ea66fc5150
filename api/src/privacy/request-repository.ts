// Privacy requests as records (db/migrations/00034_privacy_requests.sql): opened, stepped through,
// finished. Every step is also an audit entry `privacy.<kind>.<step>`, with ids and counts only. Runs in
// the caller's tenant scope.
import type { TransactionSql } from '@switchboard/db/connect';
import { recordAudit, type AuditEntry } from '../audit/audit-repository.ts';
import type { Subject } from './subject.ts';

export const PRIVACY_KINDS = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'consent_withdrawal'] as const;
export type PrivacyKind = (typeof PRIVACY_KINDS)[number];
export type PrivacyState = 'received' | 'in_progress' | 'completed' | 'rejected';
export type PrivacySource = 'dashboard' | 'api' | 'whatsapp';
export type PrivacyActor = { kind: 'user' | 'api_key' | 'customer' | 'operator' | 'system'; id?: string | null };

/** Requests are answered within this many days of being received. */
export const DUE_DAYS = 30;
/** The job that runs a request (jobs/worker.ts). */
export const RUN_TASK = 'run_privacy_request';

/** Corrected profile fields of a RECTIFICATION. */
export interface Rectification {
  displayName?: string | null;
}

export interface PrivacyRequestRecord {
  id: string;
  tenantId: string;
  kind: PrivacyKind;
  state: PrivacyState;
  source: PrivacySource;
  subjectKind: 'contact' | 'staff';
  subjectId: string;
  subjectLabel: string;
  requesterEmail: string | null;
  note: string | null;
  rectification: Rectification | null;
  lift: boolean;
  createdByKind: PrivacyActor['kind'];
  createdById: string | null;
  receivedAt: Date;
  dueAt: Date;
  completedAt: Date | null;
  outcome: string | null;
  notifiedAt: Date | null;
}

export interface PrivacyStepRecord {
  id: string;
  requestId: string;
  at: Date;
  actorKind: PrivacyActor['kind'];
  actorId: string | null;
  action: string;
  detail: Record<string, unknown>;
}

export interface OpenRequest {
  kind: PrivacyKind;
  subject: Subject;
  source: PrivacySource;
  requesterEmail?: string | null;
  note?: string | null;
  rectification?: Rectification | null;
  lift?: boolean;
  actor: PrivacyActor;
  address?: string | null;
}

const COLUMNS = (tx: TransactionSql) => tx`
  id, tenant_id, kind, state, source, subject_kind, subject_id, subject_label, requester_email, note,
  rectification, lift, created_by_kind, created_by_id, received_at, due_at, completed_at, outcome, notified_at`;

/**
 * Records a new request, RECEIVED. One from an admin or a key runs by itself: its job is added in the
 * same transaction, so it runs exactly when the request exists. One from WhatsApp waits for an admin.
 */
export async function openPrivacyRequest(tx: TransactionSql, tenantId: string, input: OpenRequest): Promise<PrivacyRequestRecord> {
  const [row] = await tx<PrivacyRequestRecord[]>`
    insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, requester_email, note,
                                  rectification, lift, created_by_kind, created_by_id, due_at)
    values (${tenantId}, ${input.kind}, ${input.source}, ${input.subject.kind}, ${input.subject.id}, ${input.subject.label},
            ${input.requesterEmail ?? null}, ${input.note ?? null}, ${input.rectification ? tx.json(input.rectification as never) : null},
            ${input.lift ?? false}, ${input.actor.kind}, ${input.actor.id ?? null}, now() + make_interval(days => ${DUE_DAYS}))
    returning ${COLUMNS(tx)}`;
  const request = row!;
  await recordStep(tx, request, input.actor, 'received', { source: input.source, subject: input.subject.kind }, input.address);
  if (input.source !== 'whatsapp') await enqueueRun(tx, request);
  await announce(tx, request);
  return request;
}

export async function enqueueRun(tx: TransactionSql, request: Pick<PrivacyRequestRecord, 'tenantId' | 'id'>): Promise<void> {
  await tx`
    select graphile_worker.add_job(${RUN_TASK}, json_build_object('tenantId', ${request.tenantId}::text, 'requestId', ${request.id}::text),
                                   queue_name => 'privacy', job_key => ${`privacy:${request.id}`}, max_attempts => 12)`;
}

/** One step: in the request's history and in the audit log, as `privacy.<kind>.<action>`. */
export async function recordStep(
  tx: TransactionSql,
  request: Pick<PrivacyRequestRecord, 'tenantId' | 'id' | 'kind' | 'subjectKind' | 'subjectId'>,
  actor: PrivacyActor,
  action: string,
  detail: Record<string, unknown> = {},
  address: string | null = null,
): Promise<void> {
  await tx`
    insert into privacy_request_steps (tenant_id, request_id, actor_kind, actor_id, action, detail)
    values (${request.tenantId}, ${request.id}, ${actor.kind}, ${actor.id ?? null}, ${action}, ${tx.json(detail as never)})`;
  await recordAudit(tx, request.tenantId, {
    action: `privacy.${request.kind}.${action}`,
    actor: { kind: actor.kind, id: actor.id ?? null } as AuditEntry['actor'],
    target: { kind: 'privacy_request', id: request.id },
    address,
    detail: { subject: request.subjectKind, ...detail },
  });
}

/** Tells the tenant's admins' subscriptions the request changed (after commit). */
export async function announce(tx: TransactionSql, request: Pick<PrivacyRequestRecord, 'tenantId' | 'id'>): Promise<void> {
  await tx`select pg_notify('switchboard_changes', ${JSON.stringify({ topic: `privacyRequestChanged:${request.tenantId}`, detail: { id: request.id } })})`;
}

/** The request, locked for a change of state; null when it is not this tenant's. */
export async function lockPrivacyRequest(tx: TransactionSql, id: string): Promise<PrivacyRequestRecord | null> {
  const [row] = await tx<PrivacyRequestRecord[]>`
    select ${COLUMNS(tx)} from privacy_requests where tenant_id = app_tenant_id() and id = ${id} for update`;
  return row ?? null;
}

export async function setRequestState(
  tx: TransactionSql,
  id: string,
  state: PrivacyState,
  { outcome = null }: { outcome?: string | null } = {},
): Promise<PrivacyRequestRecord> {
  const finished = state === 'completed' || state === 'rejected';
  const [row] = await tx<PrivacyRequestRecord[]>`
    update privacy_requests
       set state = ${state}, outcome = coalesce(${outcome}, outcome), updated_at = now(),
           completed_at = case when ${finished} then now() else completed_at end
     where tenant_id = app_tenant_id() and id = ${id}
    returning ${COLUMNS(tx)}`;
  return row!;
}

export async function findPrivacyRequestsByIds(tx: TransactionSql, ids: readonly string[]): Promise<PrivacyRequestRecord[]> {
  if (ids.length === 0) return [];
  return tx<PrivacyRequestRecord[]>`select ${COLUMNS(tx)} from privacy_requests where tenant_id = app_tenant_id() and id = any(${ids as string[]}::uuid[])`;
}

export interface PrivacyRequestFilter {
  state?: PrivacyState | null;
  kind?: PrivacyKind | null;
  /** Open and past their due date (true), or not (false). */
  overdue?: boolean | null;
}

/** Newest first, keyset-paged on (received_at, id). */
export async function listPrivacyRequests(
  tx: TransactionSql,
  { after, limit, filter = {} }: { after: { at: Date; id: string } | null; limit: number; filter?: PrivacyRequestFilter },
): Promise<PrivacyRequestRecord[]> {
  const overdue = tx`(state in ('received', 'in_progress') and due_at < now())`;
  return tx<PrivacyRequestRecord[]>`
    select ${COLUMNS(tx)} from privacy_requests
     where tenant_id = app_tenant_id()
       ${filter.state ? tx`and state = ${filter.state}` : tx``}
       ${filter.kind ? tx`and kind = ${filter.kind}` : tx``}
       ${filter.overdue === true ? tx`and ${overdue}` : filter.overdue === false ? tx`and not ${overdue}` : tx``}
       ${after ? tx`and (received_at, id) < (${after.at}, ${after.id})` : tx``}
     order by received_at desc, id desc
     limit ${limit}`;
}

export async function listSteps(tx: TransactionSql, requestIds: readonly string[]): Promise<PrivacyStepRecord[]> {
  if (requestIds.length === 0) return [];
  return tx<PrivacyStepRecord[]>`
    select id, request_id, at, actor_kind, actor_id, action, detail from privacy_request_steps
     where tenant_id = app_tenant_id() and request_id = any(${requestIds as string[]}::uuid[])
     order by at, id`;
}

export interface PrivacyExportRecord {
  id: string;
  requestId: string;
  blobKey: string;
  byteSize: number;
  expiresAt: Date;
}

export async function findLiveExports(tx: TransactionSql, requestIds: readonly string[]): Promise<PrivacyExportRecord[]> {
  if (requestIds.length === 0) return [];
  return tx<PrivacyExportRecord[]>`
    select id, request_id, blob_key, byte_size::int as byte_size, expires_at from privacy_exports
     where tenant_id = app_tenant_id() and request_id = any(${requestIds as string[]}::uuid[])
       and deleted_at is null and expires_at > now()`;
}

/** Open requests, and those past their due date, for the record of processing. */
export async function countOpenRequests(tx: TransactionSql): Promise<{ open: number; overdue: number }> {
  const [row] = await tx<{ open: number; overdue: number }[]>`
    select count(*)::int as open, (count(*) filter (where due_at < now()))::int as overdue
      from privacy_requests where tenant_id = app_tenant_id() and state in ('received', 'in_progress')`;
  return row!;
}
