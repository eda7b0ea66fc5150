// RetentionPolicy and its root fields: how long the tenant keeps each kind of data. Admins and ADMIN
// keys read and change it; the sweeps in retention/ enforce it.
import type { AuditEntry } from '../audit/audit-repository.ts';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import { getRetentionPolicy, RETENTION_BOUNDS, type RetentionPolicy as RetentionPolicyRecord } from '../retention/retention-repository.ts';
import { updateRetentionPolicy } from '../retention/update-policy.ts';
import { builder } from './builder.ts';
import { unwrap, ValidationError } from './errors.ts';
import { KEY_ADMINS } from './read-rules.ts';

const bounds = (field: keyof RetentionPolicyRecord) => `${RETENTION_BOUNDS[field].min} to ${RETENTION_BOUNDS[field].max}`;

const DESCRIPTIONS: Record<keyof RetentionPolicyRecord, string> = {
  messagesDays: `Messages, their media and the conversation are deleted this many days after the conversation's last activity (${bounds('messagesDays')}, default 90).`,
  rawWebhookDays: `Raw copies of Meta's webhooks (${bounds('rawWebhookDays')}, default 7: Meta retries a delivery for up to 7 days).`,
  deadLetterDays: `Deliveries that failed every retry (${bounds('deadLetterDays')}, default 30).`,
  staffPurgeDays: `Deactivated staff are purged this many days after deactivation (${bounds('staffPurgeDays')}, default 30).`,
  exportDays: `Privacy exports can be downloaded this long, then they are deleted (${bounds('exportDays')}, default 7).`,
  auditDays: `Audit log entries (${bounds('auditDays')}, default 365).`,
  analyticsMonths: `Anonymous analytics rollups, in months (${bounds('analyticsMonths')}, default 24).`,
};

export const RetentionPolicy = builder.objectRef<RetentionPolicyRecord>('RetentionPolicy').implement({
  authScopes: KEY_ADMINS,
  description: "How long the tenant keeps each kind of data. Retention sweeps delete what is older, by themselves, every hour.",
  fields: (t) => ({
    messagesDays: t.exposeInt('messagesDays', { description: DESCRIPTIONS.messagesDays }),
    rawWebhookDays: t.exposeInt('rawWebhookDays', { description: DESCRIPTIONS.rawWebhookDays }),
    deadLetterDays: t.exposeInt('deadLetterDays', { description: DESCRIPTIONS.deadLetterDays }),
    staffPurgeDays: t.exposeInt('staffPurgeDays', { description: DESCRIPTIONS.staffPurgeDays }),
    exportDays: t.exposeInt('exportDays', { description: DESCRIPTIONS.exportDays }),
    auditDays: t.exposeInt('auditDays', { description: DESCRIPTIONS.auditDays }),
    analyticsMonths: t.exposeInt('analyticsMonths', { description: DESCRIPTIONS.analyticsMonths }),
  }),
});

const RetentionPolicyInput = builder.inputType('RetentionPolicyInput', {
  description: 'The periods to change; those left out keep their value.',
  fields: (t) => ({
    messagesDays: t.int({ description: DESCRIPTIONS.messagesDays }),
    rawWebhookDays: t.int({ description: DESCRIPTIONS.rawWebhookDays }),
    deadLetterDays: t.int({ description: DESCRIPTIONS.deadLetterDays }),
    staffPurgeDays: t.int({ description: DESCRIPTIONS.staffPurgeDays }),
    exportDays: t.int({ description: DESCRIPTIONS.exportDays }),
    auditDays: t.int({ description: DESCRIPTIONS.auditDays }),
    analyticsMonths: t.int({ description: DESCRIPTIONS.analyticsMonths }),
  }),
});

function auditActor(ctx: Context): AuditEntry['actor'] {
  const viewer = tenantViewer(ctx);
  return viewer.kind === 'user' ? { kind: 'user', id: viewer.userId } : { kind: 'api_key', id: viewer.apiKeyId };
}

builder.queryField('retentionPolicy', (t) =>
  t.field({
    type: RetentionPolicy,
    description: 'The retention policy in force (the defaults until an admin changes it).',
    authScopes: KEY_ADMINS,
    resolve: (_root, _args, ctx) => inTenant(ctx, (tx) => getRetentionPolicy(tx)),
  }),
);

builder.mutationField('updateRetentionPolicy', (t) =>
  t.field({
    type: RetentionPolicy,
    description: 'Changes how long data is kept, each period within its bounds. Recorded in the audit log (retention.updated) with the old and new values.',
    authScopes: KEY_ADMINS,
    errors: { types: [ValidationError], dataField: { name: 'retentionPolicy' } },
    args: { input: t.arg({ type: RetentionPolicyInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const tenantId = tenantViewer(ctx).tenantId;
      const result = await inTenant(ctx, (tx) =>
        updateRetentionPolicy(tx, { tenantId, patch: args.input, actor: auditActor(ctx), address: ctx.http?.clientAddress ?? null }),
      );
      return unwrap(result, 'RetentionPolicy');
    },
  }),
);
