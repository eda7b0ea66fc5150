// Template: the business's message templates as Meta approved (or rejected) them, and their sync.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { inTenant } from '../context.ts';
import { listTemplates, syncTemplates, type TemplateRow } from '../tenants/template-sync.ts';
import { auditSource } from '../audit/audit-source.ts';
import { builder } from './builder.ts';
import { READERS } from './read-rules.ts';

const TemplateQuality = builder.enumType('TemplateQuality', {
  description: "Meta's quality score of a template (message_template_quality_update): GREEN high, YELLOW medium, RED low, UNKNOWN not rated yet.",
  values: { GREEN: { value: 'GREEN' }, YELLOW: { value: 'YELLOW' }, RED: { value: 'RED' }, UNKNOWN: { value: 'UNKNOWN' } } as const,
});

const Template = builder.objectRef<TemplateRow>('Template').implement({
  authScopes: READERS,
  description: 'A message template; only APPROVED ones can be sent, and they may be sent outside the 24-hour window.',
  fields: (t) => ({
    name: t.exposeString('name'),
    language: t.exposeString('language'),
    category: t.exposeString('category', { nullable: true, description: 'MARKETING, UTILITY or AUTHENTICATION; kept current by template_category_update.' }),
    quality: t.field({ type: TemplateQuality, resolve: (r) => r.quality as 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' }),
    status: t.exposeString('status', { description: "Meta's review state: APPROVED, PENDING, REJECTED, PAUSED, DISABLED…" }),
    parameterFormat: t.exposeString('parameterFormat', { nullable: true, description: 'NAMED or POSITIONAL.' }),
    body: t.string({
      nullable: true,
      description: 'The body text with its {{placeholders}}.',
      resolve: (r) => {
        const body = r.components.find((c) => String(c.type).toUpperCase() === 'BODY');
        return typeof body?.text === 'string' ? body.text : null;
      },
    }),
  }),
});

builder.queryField('templates', (t) =>
  t.connection({
    type: Template,
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: async (_root, args, ctx) => resolveArrayConnection({ args, defaultSize: 100, maxSize: 500 }, await inTenant(ctx, listTemplates)),
  }),
);

builder.mutationField('syncTemplates', (t) =>
  t.int({
    description: "Pulls every connected account's templates from Meta; returns how many were read.",
    authScopes: { role: 'admin', keyScope: 'admin' },
    resolve: (_root, _args, ctx) => {
      const { tenantId, actor, address } = auditSource(ctx);
      return syncTemplates(ctx.services.templates, tenantId, { actor, address });
    },
  }),
);
