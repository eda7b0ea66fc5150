// Template: the business's message templates as Meta approved (or rejected) them, and their sync.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { inTenant } from '../context.ts';
import { listTemplates, syncTemplates, type TemplateRow } from '../tenants/template-sync.ts';
import { auditSource } from '../audit/audit-source.ts';
import { builder } from './builder.ts';
import { IN_ROW } from './query-cost.ts';
import { READERS } from './read-rules.ts';

const TemplateQuality = builder.enumType('TemplateQuality', {
  description: "Meta's quality score of a template (message_template_quality_update): GREEN high, YELLOW medium, RED low, UNKNOWN not rated yet.",
  values: { GREEN: { value: 'GREEN' }, YELLOW: { value: 'YELLOW' }, RED: { value: 'RED' }, UNKNOWN: { value: 'UNKNOWN' } } as const,
});

type Component = Record<string, unknown>;
const componentOf = (row: TemplateRow, type: string): Component | undefined => row.components.find((c) => String(c.type).toUpperCase() === type);
const textOf = (component: Component | undefined): string | null => (typeof component?.text === 'string' ? component.text : null);

const TemplateHeader = builder.objectRef<Component>('TemplateHeader').implement({
  authScopes: READERS,
  description: "A template's header: text (with its placeholders) or a media kind filled in when sending.",
  fields: (t) => ({
    format: t.string({ description: 'TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.', resolve: (c) => String(c.format ?? 'TEXT').toUpperCase() }),
    text: t.string({ nullable: true, description: 'The text of a TEXT header.', resolve: textOf }),
  }),
});

const TemplateButton = builder.objectRef<Component>('TemplateButton').implement({
  authScopes: READERS,
  description: "One of a template's buttons, as the customer sees it.",
  fields: (t) => ({
    type: t.string({ description: 'QUICK_REPLY, URL, PHONE_NUMBER, OTP, COPY_CODE, FLOW…', resolve: (b) => String(b.type ?? '').toUpperCase() }),
    text: t.string({ resolve: (b) => (typeof b.text === 'string' ? b.text : '') }),
  }),
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
    body: t.string({ nullable: true, description: 'The body text with its {{placeholders}}.', resolve: (r) => textOf(componentOf(r, 'BODY')) }),
    header: t.field({ type: TemplateHeader, nullable: true, resolve: (r) => componentOf(r, 'HEADER') ?? null }),
    footer: t.string({ nullable: true, description: 'The footer text, if any.', resolve: (r) => textOf(componentOf(r, 'FOOTER')) }),
    buttons: t.field({
      type: [TemplateButton],
      description: 'Its buttons in order (at most ten, as Meta allows).',
      complexity: IN_ROW,
      resolve: (r) => {
        const buttons = componentOf(r, 'BUTTONS')?.buttons;
        return Array.isArray(buttons) ? (buttons as Component[]).slice(0, 10) : [];
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
