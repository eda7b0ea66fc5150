// GET and POST /<WABA_ID>/message_templates: the sync our platform runs, and template creation,
// which Meta answers with PENDING before review moves the template on (see control-routes.ts).
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
import type { IncomingHttpHeaders } from 'node:http';
import type { BusinessRegistry } from './businesses.ts';
import { authenticate, authorizeBusiness } from './graph-auth.ts';
import { fail, graphFailure, type GraphResult } from './graph-errors.ts';
import { pageTemplates, parseNewTemplate, type TemplatePage, type TemplateStore } from './templates.ts';

export interface TemplateContext {
  registry: BusinessRegistry;
  templates: TemplateStore;
  appId: string;
  now: () => number;
  newTemplateId: () => string;
}

const defaultLimit = 25;
const maxLimit = 1_000;

export function listTemplates(
  context: TemplateContext,
  { wabaId, headers, url, origin }: { wabaId: string; headers: IncomingHttpHeaders; url: URL; origin: string },
): GraphResult<TemplatePage> {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.appId });
  if (!token.ok) return token;
  const business = authorizeBusiness(context.registry, token.value, 'GET', wabaId);
  if (!business.ok) return business;

  const query = url.searchParams;
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? defaultLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) return fail(graphFailure(100, { details: `limit: ${JSON.stringify(rawLimit)} is not a positive integer` }));
  const filter = Object.fromEntries(
    (['name', 'status', 'language', 'category'] as const).flatMap((key) => {
      const value = query.get(key);
      return value === null ? [] : [[key, value]];
    }),
  );
  const templates = context.templates.list(wabaId, filter);
  const after = query.get('after');
  const before = query.get('before');
  return {
    ok: true,
    value: pageTemplates(
      templates,
      { limit: Math.min(limit, maxLimit), ...(after === null ? {} : { after }), ...(before === null ? {} : { before }) },
      (cursor) => {
        const next = new URL(url.pathname, origin);
        for (const [key, value] of query) if (key !== 'after' && key !== 'before') next.searchParams.set(key, value);
        next.searchParams.set('limit', String(limit));
        for (const [key, value] of Object.entries(cursor)) next.searchParams.set(key, value);
        return next.toString();
      },
    ),
  };
}

export function createTemplate(
  context: TemplateContext,
  { wabaId, headers, body }: { wabaId: string; headers: IncomingHttpHeaders; body: unknown },
): GraphResult<{ id: string; status: 'PENDING'; category: string }> {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.appId });
  if (!token.ok) return token;
  const business = authorizeBusiness(context.registry, token.value, 'POST', wabaId);
  if (!business.ok) return business;
  const parsed = parseNewTemplate(body, context.newTemplateId());
  if (!parsed.ok) return parsed;
  const template = parsed.value;
  if (context.templates.find(wabaId, template.name, template.language)) {
    return fail(
      graphFailure(100, {
        subcode: 2388024,
        details: `Content in this language already exists: ${template.name} already has a ${template.language} translation.`,
      }),
    );
  }
  context.templates.add(wabaId, template);
  return { ok: true, value: { id: template.id, status: 'PENDING', category: template.category } };
}
