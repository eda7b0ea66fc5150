// Privacy requests (issue 12): PrivacyRequest and its root fields, and the record of processing. Run by
// the tenant's admins (signed in) and partner keys with ADMIN; each request runs as a job
// (privacy/run-request.ts), except those customers make in WhatsApp, which wait for an admin.
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { countOpenRequests, enqueueRun, findLiveExports, findPrivacyRequestsByIds, listPrivacyRequests, listSteps, lockPrivacyRequest, openPrivacyRequest, PRIVACY_KINDS, recordStep, setRequestState, announce, type PrivacyActor, type PrivacyExportRecord, type PrivacyKind, type PrivacyRequestRecord, type PrivacyStepRecord } from '../privacy/request-repository.ts';
import { findSubject } from '../privacy/subject.ts';
import { getRetentionPolicy } from '../retention/retention-repository.ts';
import { PRIVACY_EXPORT_PATH } from '../http/privacy-export-route.ts';
import { builder } from './builder.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { KEY_ADMINS, READERS } from './read-rules.ts';
import { RetentionPolicy } from './retention.ts';

const upper = <T extends string>(v: T) => v.toUpperCase() as Uppercase<T>;

export const PrivacyRequestKind = builder.enumType('PrivacyRequestKind', {
  description: 'What the data subject asked for.',
  values: Object.fromEntries(PRIVACY_KINDS.map((k) => [upper(k), { value: k }])) as Record<Uppercase<PrivacyKind>, { value: PrivacyKind }>,
});

export const PrivacyRequestState = builder.enumType('PrivacyRequestState', {
  values: {
    RECEIVED: { value: 'received', description: 'Recorded; waiting to run, or (from WhatsApp) for an admin to approve it.' },
    IN_PROGRESS: { value: 'in_progress' },
    COMPLETED: { value: 'completed' },
    REJECTED: { value: 'rejected' },
  } as const,
});

const PrivacyRequestSource = builder.enumType('PrivacyRequestSource', {
  values: {
    DASHBOARD: { value: 'dashboard', description: "An admin's form in the dashboard." },
    API: { value: 'api', description: 'A partner key.' },
    WHATSAPP: { value: 'whatsapp', description: 'The customer, by a privacy keyword in WhatsApp; waits for approval.' },
  } as const,
});

const PrivacyExport = builder.objectRef<PrivacyExportRecord>('PrivacyExport').implement({
  authScopes: KEY_ADMINS,
  description: "An ACCESS or PORTABILITY request's export: a zip of export.json and the media files (docs/privacy-export.md).",
  fields: (t) => ({
    url: t.string({
      description: 'Where to download it: the api answers it to the tenant\'s admins (session) and ADMIN keys only, until it expires.',
      resolve: (e) => `${PRIVACY_EXPORT_PATH}${e.requestId}`,
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'The file is deleted then.', resolve: (e) => e.expiresAt }),
    byteSize: t.int({ resolve: (e) => e.byteSize }),
  }),
});

const ACTOR_LABELS: Record<PrivacyActor['kind'], string> = {
  user: 'Staff member',
  api_key: 'API key',
  customer: 'Customer (WhatsApp)',
  operator: 'Platform operator',
  system: 'Switchboard',
};

const PrivacyRequestStep = builder.objectRef<PrivacyStepRecord>('PrivacyRequestStep').implement({
  authScopes: KEY_ADMINS,
  description: 'One thing that happened to a request. Also in the audit log as privacy.<kind>.<action>.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (s) => s.at }),
    actor: t.string({
      description: "Who: the person's name, the key's name, the customer, or Switchboard (the job).",
      resolve: async (s, _args, ctx) => (s.actorKind === 'user' && s.actorId ? ((await ctx.loaders.users.load(s.actorId))?.name ?? ACTOR_LABELS.user) : ACTOR_LABELS[s.actorKind]),
    }),
    action: t.exposeString('action', { description: 'received, approved, started, exported, rectified, erased, applied, lifted, completed, rejected, notified…' }),
    detail: t.string({ description: 'Counts and ids of the step, as JSON (never personal data).', resolve: (s) => JSON.stringify(s.detail) }),
  }),
});

export const PrivacyRequest = builder.objectRef<PrivacyRequestRecord>('PrivacyRequest');

builder.node(PrivacyRequest, {
  authScopes: KEY_ADMINS,
  description: "A data subject's request about their personal data, and what was done about it.",
  id: { resolve: (r) => r.id },
  loadMany: async (ids, ctx) => {
    const found = await inTenant(ctx, (tx) => findPrivacyRequestsByIds(tx, ids.filter(isUuid)));
    return ids.map((id) => found.find((r) => r.id === id) ?? null);
  },
  fields: (t) => ({
    kind: t.field({ type: PrivacyRequestKind, resolve: (r) => r.kind }),
    state: t.field({ type: PrivacyRequestState, resolve: (r) => r.state }),
    subjectLabel: t.exposeString('subjectLabel', { description: 'The subject, masked: e.g. "+1650 ••••• 23" or "a•••@example.com".' }),
    source: t.field({ type: PrivacyRequestSource, resolve: (r) => r.source }),
    receivedAt: t.field({ type: 'DateTime', resolve: (r) => r.receivedAt }),
    dueAt: t.field({ type: 'DateTime', description: '30 days after receivedAt.', resolve: (r) => r.dueAt }),
    completedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was completed or rejected.', resolve: (r) => r.completedAt }),
    outcome: t.exposeString('outcome', { nullable: true, description: 'What was done, or why it was rejected.' }),
    lift: t.exposeBoolean('lift', { description: 'For RESTRICTION, OBJECTION and CONSENT_WITHDRAWAL: ends an earlier one.' }),
    export: t.field({
      type: PrivacyExport,
      nullable: true,
      description: 'ACCESS and PORTABILITY: the export, while it can be downloaded.',
      resolve: async (r, _args, ctx) => (r.kind === 'access' || r.kind === 'portability' ? ((await inTenant(ctx, (tx) => findLiveExports(tx, [r.id])))[0] ?? null) : null),
    }),
    steps: t.field({
      type: [PrivacyRequestStep],
      description: 'Everything that happened to it, oldest first.',
      resolve: (r, _args, ctx) => inTenant(ctx, (tx) => listSteps(tx, [r.id])),
    }),
  }),
});

const PrivacySubjectInput = builder.inputType('PrivacySubjectInput', {
  description: 'Who the request is about: exactly one of these.',
  fields: (t) => ({
    waId: t.string({ description: "A customer's phone number with country code, e.g. 16505551234." }),
    userId: t.string({ description: "A customer's business-scoped user id." }),
    contactId: t.globalID({ description: 'A Contact.' }),
    staffEmail: t.string({ description: "A staff member's email address." }),
  }),
});

const RectificationInput = builder.inputType('RectificationInput', {
  description: "The corrected profile fields: a customer's display name, or a staff member's name.",
  fields: (t) => ({ displayName: t.string({ required: true }) }),
});

const CreatePrivacyRequestInput = builder.inputType('CreatePrivacyRequestInput', {
  fields: (t) => ({
    kind: t.field({ type: PrivacyRequestKind, required: true }),
    subject: t.field({ type: PrivacySubjectInput, required: true }),
    requesterEmail: t.string({ description: 'Where the confirmation goes when the request is finished (no personal data in it).' }),
    note: t.string({ description: "An admin's note, up to 2000 characters (cleared by an erasure)." }),
    rectification: t.field({ type: RectificationInput, description: 'For RECTIFICATION: the corrected fields.' }),
    lift: t.boolean({ description: 'For RESTRICTION, OBJECTION and CONSENT_WITHDRAWAL: lift an earlier one.' }),
  }),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function actorOf(ctx: Context): PrivacyActor {
  const viewer = tenantViewer(ctx);
  return viewer.kind === 'user' ? { kind: 'user', id: viewer.userId } : { kind: 'api_key', id: viewer.apiKeyId };
}

builder.mutationField('createPrivacyRequest', (t) =>
  t.field({
    type: PrivacyRequest,
    description: 'Records a privacy request and runs it at once, as a job: RECEIVED → IN_PROGRESS → COMPLETED. Admins and ADMIN keys.',
    authScopes: KEY_ADMINS,
    errors: { types: COMMON_ERRORS, dataField: { name: 'privacyRequest' } },
    args: { input: t.arg({ type: CreatePrivacyRequestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = tenantViewer(ctx);
      const email = input.requesterEmail?.trim() || null;
      if (email && (email.length > 254 || !EMAIL.test(email))) throw new ValidationError('requesterEmail', 'That is not an email address.');
      if (input.note && input.note.length > 2000) throw new ValidationError('note', 'A note is at most 2000 characters.');
      if (input.kind === 'rectification') {
        const name = input.rectification?.displayName?.trim();
        if (!name) throw new ValidationError('rectification.displayName', 'A rectification needs the corrected name.');
        if (name.length > 200) throw new ValidationError('rectification.displayName', 'A name is at most 200 characters.');
      } else if (input.rectification) {
        throw new ValidationError('rectification', 'Corrected fields go with a RECTIFICATION only.');
      }
      if (input.lift && !['restriction', 'objection', 'consent_withdrawal'].includes(input.kind)) {
        throw new ValidationError('lift', 'Only a RESTRICTION, OBJECTION or CONSENT_WITHDRAWAL can be lifted.');
      }
      const contactId = input.subject.contactId;
      if (contactId && (contactId.typename !== 'Contact' || !isUuid(contactId.id))) throw new NotFoundError('Contact');
      const subjectInput = { ...input.subject, contactId: contactId?.id ?? null };
      return inTenant(ctx, async (tx) => {
        const found = await findSubject(tx, subjectInput);
        if (!found.ok) {
          if (found.code === 'NOT_FOUND') throw new NotFoundError(subjectInput.staffEmail ? 'Staff member' : 'Customer');
          throw new ValidationError(found.field ?? 'subject', found.message);
        }
        if (found.subject.kind === 'staff' && ['restriction', 'objection', 'consent_withdrawal'].includes(input.kind)) {
          throw new ValidationError('kind', 'Staff members can ask for access, portability, rectification or erasure.');
        }
        if (found.subject.kind === 'contact' && found.subject.erased) throw new ConflictError('ERASED', 'That customer has already been erased.');
        return openPrivacyRequest(tx, viewer.tenantId, {
          kind: input.kind,
          subject: found.subject,
          source: viewer.kind === 'user' ? 'dashboard' : 'api',
          requesterEmail: email,
          note: input.note?.trim() || null,
          rectification: input.rectification ? { displayName: input.rectification.displayName.trim() } : null,
          lift: input.lift ?? false,
          actor: actorOf(ctx),
          address: ctx.http?.clientAddress ?? null,
        });
      });
    },
  }),
);

/** Loads the request for a decision; only one that waits in RECEIVED (from WhatsApp) may be decided. */
async function decide(ctx: Context, id: { typename: string; id: string }, decision: (tx: Parameters<Parameters<typeof inTenant>[1]>[0], request: PrivacyRequestRecord) => Promise<PrivacyRequestRecord>) {
  if (id.typename !== 'PrivacyRequest' || !isUuid(id.id)) throw new NotFoundError('Privacy request');
  return inTenant(ctx, async (tx) => {
    const request = await lockPrivacyRequest(tx, id.id);
    if (!request) throw new NotFoundError('Privacy request');
    if (request.state !== 'received') throw new ConflictError('NOT_WAITING', 'Only a request that is waiting (RECEIVED) can be approved or rejected.');
    return decision(tx, request);
  });
}

builder.mutationFields((t) => ({
  approvePrivacyRequest: t.field({
    type: PrivacyRequest,
    description: 'Approves a request that waits for an admin (from WhatsApp): it then runs like any other.',
    authScopes: KEY_ADMINS,
    errors: { types: COMMON_ERRORS, dataField: { name: 'privacyRequest' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: (_root, args, ctx) =>
      decide(ctx, args.id, async (tx, request) => {
        if (request.source !== 'whatsapp') throw new ConflictError('NOT_WAITING', 'This request runs by itself; it needs no approval.');
        await recordStep(tx, request, actorOf(ctx), 'approved', {}, ctx.http?.clientAddress ?? null);
        await enqueueRun(tx, request);
        await announce(tx, request);
        return request;
      }),
  }),
  rejectPrivacyRequest: t.field({
    type: PrivacyRequest,
    description: 'Rejects a request that has not started, with the reason (kept on the request, never mailed).',
    authScopes: KEY_ADMINS,
    errors: { types: COMMON_ERRORS, dataField: { name: 'privacyRequest' } },
    args: { id: t.arg.globalID({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const reason = args.reason.trim();
      if (!reason) throw new ValidationError('reason', 'Say why the request is rejected.');
      if (reason.length > 500) throw new ValidationError('reason', 'A reason is at most 500 characters.');
      const rejected = await decide(ctx, args.id, async (tx, request) => {
        const done = await setRequestState(tx, request.id, 'rejected', { outcome: reason });
        await recordStep(tx, done, actorOf(ctx), 'rejected', {}, ctx.http?.clientAddress ?? null);
        // The job tells the requester (and retries the mail until the server takes it).
        await enqueueRun(tx, done);
        await announce(tx, done);
        return done;
      });
      return rejected;
    },
  }),
}));

const PrivacyRequestFilter = builder.inputType('PrivacyRequestFilter', {
  fields: (t) => ({
    state: t.field({ type: PrivacyRequestState }),
    kind: t.field({ type: PrivacyRequestKind }),
    overdue: t.boolean({ description: 'Open and past the due date (true), or not (false).' }),
  }),
});

builder.queryField('privacyRequests', (t) =>
  t.connection({
    type: PrivacyRequest,
    description: "The tenant's privacy requests, newest first.",
    authScopes: KEY_ADMINS,
    args: { filter: t.arg({ type: PrivacyRequestFilter }) },
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<PrivacyRequestRecord[]>>(
        { args, defaultSize: 50, maxSize: 100, toCursor: (r: PrivacyRequestRecord) => encodeCursor(r.receivedAt, r.id) },
        ({ after, limit }) => inTenant(ctx, (tx) => listPrivacyRequests(tx, { after: decodeCursor(after), limit, filter: args.filter ?? {} })),
      ),
  }),
);

builder.subscriptionField('privacyRequestChanged', (t) =>
  t.field({
    type: PrivacyRequest,
    description: 'A privacy request of the tenant was made or moved on (admins and ADMIN keys).',
    authScopes: KEY_ADMINS,
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('privacyRequestChanged', tenantViewer(ctx).tenantId),
    resolve: async (event, _args, ctx) => {
      const [request] = await inTenant(ctx, (tx) => findPrivacyRequestsByIds(tx, [event.id]));
      if (!request) throw new NotFoundError('Privacy request');
      return request;
    },
  }),
);

builder.subscriptionField('conversationRemoved', (t) =>
  t.id({
    description: 'A conversation no longer exists (an erasure removed it): the id to drop from lists.',
    authScopes: READERS,
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('conversationRemoved', tenantViewer(ctx).tenantId),
    resolve: (event) => encodeGlobalID('Conversation', event.id),
  }),
);

// ---- the record of processing ---------------------------------------------------------------------

interface Category {
  name: string;
  count: number;
}

const DataCategory = builder.objectRef<Category>('DataCategory').implement({
  authScopes: KEY_ADMINS,
  fields: (t) => ({ name: t.exposeString('name'), count: t.exposeInt('count') }),
});

interface SubProcessorRecord {
  name: string;
  purpose: string;
}

const SubProcessor = builder.objectRef<SubProcessorRecord>('SubProcessor').implement({
  authScopes: KEY_ADMINS,
  fields: (t) => ({ name: t.exposeString('name'), purpose: t.exposeString('purpose') }),
});

interface Record_ {
  categories: Category[];
  retention: Awaited<ReturnType<typeof getRetentionPolicy>>;
  subProcessors: SubProcessorRecord[];
  openRequests: number;
  overdueRequests: number;
}

const RecordOfProcessing = builder.objectRef<Record_>('RecordOfProcessing').implement({
  authScopes: KEY_ADMINS,
  description: 'What the tenant holds, how long it keeps it, who processes it for it, and the privacy requests open.',
  fields: (t) => ({
    categories: t.field({ type: [DataCategory], resolve: (r) => r.categories }),
    retention: t.field({ type: RetentionPolicy, resolve: (r) => r.retention }),
    subProcessors: t.field({ type: [SubProcessor], resolve: (r) => r.subProcessors }),
    openRequests: t.exposeInt('openRequests'),
    overdueRequests: t.exposeInt('overdueRequests'),
  }),
});

builder.queryField('recordOfProcessing', (t) =>
  t.field({
    type: RecordOfProcessing,
    description: "The tenant's record of processing (admins and ADMIN keys).",
    authScopes: KEY_ADMINS,
    resolve: (_root, _args, ctx) =>
      inTenant(ctx, async (tx) => {
        const [counts] = await tx<Record<string, number>[]>`
          select (select count(*) from contacts where tenant_id = app_tenant_id() and erased_at is null)::int as customers,
                 (select count(*) from conversations where tenant_id = app_tenant_id())::int as conversations,
                 (select count(*) from messages where tenant_id = app_tenant_id())::int as messages,
                 (select count(*) from media where tenant_id = app_tenant_id())::int as media,
                 (select count(*) from conversation_notes where tenant_id = app_tenant_id())::int as notes,
                 (select count(*) from consent_events where tenant_id = app_tenant_id())::int as consent,
                 (select count(*) from users where tenant_id = app_tenant_id() and purged_at is null)::int as staff,
                 (select count(*) from webhook_events where tenant_id = app_tenant_id())::int as raw,
                 (select count(*) from audit_events where tenant_id = app_tenant_id())::int as audit`;
        const [retention, requests] = await Promise.all([getRetentionPolicy(tx), countOpenRequests(tx)]);
        const c = counts!;
        const services = ctx.services;
        return {
          categories: [
            { name: 'Customer profiles (phone number, WhatsApp name, ids)', count: c.customers! },
            { name: 'Conversations', count: c.conversations! },
            { name: 'Messages and their delivery statuses', count: c.messages! },
            { name: 'Media files', count: c.media! },
            { name: 'Internal notes', count: c.notes! },
            { name: 'Consent and opt-out history', count: c.consent! },
            { name: 'Staff accounts', count: c.staff! },
            { name: 'Raw webhook copies', count: c.raw! },
            { name: 'Audit log entries', count: c.audit! },
          ],
          retention,
          subProcessors: [
            { name: 'Meta Platforms (WhatsApp Business Cloud API)', purpose: 'Delivers messages to and from customers.' },
            { name: 'Cloudflare (Workers and Queues)', purpose: "Receives Meta's webhooks, checks their signature and queues them for the api." },
            ...(services.blobStoreKind === 's3' ? [{ name: 'S3-compatible object storage', purpose: 'Stores media files and privacy exports.' }] : []),
            ...(services.mailer.configured ? [{ name: `SMTP relay (${services.mailer.server})`, purpose: 'Sends privacy request confirmations.' }] : []),
          ],
          openRequests: requests.open,
          overdueRequests: requests.overdue,
        };
      }),
  }),
);
