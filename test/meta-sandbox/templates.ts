// Message templates per WABA: Meta's JSON shape, creation as PENDING with Meta's validation, status
// changes (which Meta announces with a `message_template_status_update` webhook), and the cursor
// paging of GET /<WABA_ID>/message_templates.
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
// https://developers.facebook.com/docs/graph-api/results (cursor-based pagination)
import { fail, graphFailure, type GraphResult } from './graph-errors.ts';

export const templateStatuses = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof templateCategories)[number];

export type ParameterFormat = 'NAMED' | 'POSITIONAL';

export interface TemplateButton {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'OTP' | 'COPY_CODE';
  text: string;
  url?: string;
  phone_number?: string;
  otp_type?: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
  example?: string[];
}

export interface TemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
  text?: string;
  example?: {
    header_text?: string[];
    header_handle?: string[];
    header_text_named_params?: { param_name: string; example: string }[];
    body_text?: string[][];
    body_text_named_params?: { param_name: string; example: string }[];
  };
  buttons?: TemplateButton[];
  add_security_recommendation?: boolean;
  code_expiration_minutes?: number;
}

/** Keys in the order Meta lists them. */
export interface MessageTemplate {
  name: string;
  parameter_format: ParameterFormat;
  components: TemplateComponent[];
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  id: string;
  rejected_reason?: string;
}

export interface TemplateFilter {
  name?: string;
  status?: string;
  language?: string;
  category?: string;
}

export interface TemplatePage {
  data: MessageTemplate[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

export interface TemplateStore {
  add(wabaId: string, template: MessageTemplate): MessageTemplate;
  find(wabaId: string, name: string, language: string): MessageTemplate | undefined;
  hasName(wabaId: string, name: string): boolean;
  byId(id: string): { wabaId: string; template: MessageTemplate } | undefined;
  list(wabaId: string, filter?: TemplateFilter): MessageTemplate[];
  setStatus(id: string, status: TemplateStatus, reason?: string): { wabaId: string; template: MessageTemplate } | undefined;
}

export function createTemplateStore(): TemplateStore {
  const byWaba = new Map<string, MessageTemplate[]>();
  const index = new Map<string, { wabaId: string; template: MessageTemplate }>();
  const listOf = (wabaId: string): MessageTemplate[] => {
    let list = byWaba.get(wabaId);
    if (!list) byWaba.set(wabaId, (list = []));
    return list;
  };
  return {
    add(wabaId, template) {
      listOf(wabaId).push(template);
      index.set(template.id, { wabaId, template });
      return template;
    },
    find: (wabaId, name, language) => listOf(wabaId).find((t) => t.name === name && t.language === language),
    hasName: (wabaId, name) => listOf(wabaId).some((t) => t.name === name),
    byId: (id) => index.get(id),
    list(wabaId, { name, status, language, category } = {}) {
      // Meta's `name` filter matches part of the name; the others are exact.
      return listOf(wabaId).filter(
        (t) =>
          (name === undefined || t.name.includes(name)) &&
          (status === undefined || status.split(',').includes(t.status)) &&
          (language === undefined || t.language === language) &&
          (category === undefined || t.category === category),
      );
    },
    setStatus(id, status, reason) {
      const found = index.get(id);
      if (!found) return undefined;
      found.template.status = status;
      if (status === 'REJECTED') found.template.rejected_reason = reason ?? 'INVALID_FORMAT';
      else delete found.template.rejected_reason;
      return found;
    },
  };
}

/** Cursors are opaque base64 like Meta's; they name the first/last template of the page. */
export function pageTemplates(
  templates: readonly MessageTemplate[],
  { limit, after, before }: { limit: number; after?: string; before?: string },
  pageUrl: (cursor: { after?: string; before?: string }) => string,
): TemplatePage {
  const position = (cursor: string): number => templates.findIndex((t) => t.id === Buffer.from(cursor, 'base64url').toString('utf8'));
  let start = 0;
  let end = templates.length;
  if (after !== undefined) start = position(after) + 1;
  else if (before !== undefined) {
    end = Math.max(position(before), 0);
    start = Math.max(end - limit, 0);
  }
  const data = templates.slice(start, Math.min(start + limit, end));
  const first = data[0];
  const last = data.at(-1);
  if (!first || !last) return { data };
  const cursors = { before: cursorOf(first), after: cursorOf(last) };
  return {
    data,
    paging: {
      cursors,
      ...(start + data.length < templates.length ? { next: pageUrl({ after: cursors.after }) } : {}),
      ...(start > 0 ? { previous: pageUrl({ before: cursors.before }) } : {}),
    },
  };
}

const cursorOf = (template: MessageTemplate): string => Buffer.from(template.id, 'utf8').toString('base64url');

/** Placeholders in a text: `{{1}}` (positional) or `{{first_name}}` (named), in order of appearance. */
export function placeholders(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1] as string);
}

// Languages the sandbox accepts; Meta's list is longer, these are the ones our tenants use.
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/supported-languages
export const templateLanguages = [
  'af', 'ar', 'de', 'en', 'en_GB', 'en_US', 'es', 'es_AR', 'es_ES', 'es_MX', 'fr', 'he', 'hi', 'id', 'it',
  'ja', 'ko', 'nl', 'pl', 'pt_BR', 'pt_PT', 'ru', 'sv', 'th', 'tr', 'uk', 'vi', 'zh_CN', 'zh_TW',
] as const;

const invalid = (details: string) => fail(graphFailure(100, { details }));

/** POST /<WABA_ID>/message_templates input, checked the way Meta checks it. */
export function parseNewTemplate(body: unknown, id: string): GraphResult<MessageTemplate> {
  if (typeof body !== 'object' || body === null) return invalid('The request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const { name, language, category, components } = input;
  if (typeof name !== 'string' || name === '') return fail(graphFailure(100, { message: '(#100) The parameter name is required.', details: 'name is required' }));
  if (!/^[a-z0-9_]{1,512}$/.test(name)) return invalid('name: only lowercase letters, digits and underscores are allowed');
  if (typeof language !== 'string' || !(templateLanguages as readonly string[]).includes(language)) {
    return invalid(`language: ${JSON.stringify(language)} is not a supported language code`);
  }
  if (typeof category !== 'string' || !(templateCategories as readonly string[]).includes(category.toUpperCase())) {
    return invalid(`category must be one of ${templateCategories.join(', ')}`);
  }
  const format = input.parameter_format ?? 'POSITIONAL';
  if (format !== 'NAMED' && format !== 'POSITIONAL') return invalid('parameter_format must be NAMED or POSITIONAL');
  if (!Array.isArray(components) || components.length === 0) return invalid('components: at least a BODY component is required');

  const checked: TemplateComponent[] = [];
  for (const [i, raw] of components.entries()) {
    const result = checkComponent(raw, `components[${i}]`, format);
    if (!result.ok) return result;
    checked.push(result.value);
  }
  const types = checked.map((c) => c.type);
  if (types.filter((t) => t === 'BODY').length !== 1) return invalid('components: exactly one BODY component is required');
  if (new Set(types).size !== types.length) return invalid('components: each component type may appear once');
  return {
    ok: true,
    value: {
      name,
      parameter_format: format,
      components: checked,
      language,
      status: 'PENDING',
      category: category.toUpperCase() as TemplateCategory,
      id,
    },
  };
}

function checkComponent(raw: unknown, path: string, format: ParameterFormat): GraphResult<TemplateComponent> {
  if (typeof raw !== 'object' || raw === null) return invalid(`${path} must be an object`);
  const component = raw as TemplateComponent & Record<string, unknown>;
  const type = typeof component.type === 'string' ? component.type.toUpperCase() : undefined;
  if (type !== 'HEADER' && type !== 'BODY' && type !== 'FOOTER' && type !== 'BUTTONS') {
    return invalid(`${path}.type must be one of HEADER, BODY, FOOTER, BUTTONS`);
  }
  const text = component.text;
  if (type === 'BODY' || type === 'FOOTER' || (type === 'HEADER' && (component.format ?? 'TEXT') === 'TEXT')) {
    const max = type === 'BODY' ? 1024 : 60;
    if (typeof text !== 'string' || text === '') return invalid(`${path}.text is required`);
    if (text.length > max) return invalid(`${path}.text must be at most ${max} characters`);
    const names = placeholders(text);
    if (type === 'FOOTER' && names.length > 0) return invalid(`${path}.text: a footer cannot have variables`);
    const problem = checkPlaceholders(names, format, component.example, type, path);
    if (problem) return invalid(problem);
  }
  if (type === 'HEADER' && !['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(component.format ?? 'TEXT')) {
    return invalid(`${path}.format must be one of TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION`);
  }
  if (type === 'BUTTONS') {
    const buttons = component.buttons;
    if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 10) return invalid(`${path}.buttons must hold 1 to 10 buttons`);
    for (const [i, button] of buttons.entries()) {
      if (typeof button?.text !== 'string' || button.text === '' || button.text.length > 25) {
        return invalid(`${path}.buttons[${i}].text must be 1 to 25 characters`);
      }
    }
  }
  return { ok: true, value: { ...component, type } };
}

function checkPlaceholders(
  names: string[],
  format: ParameterFormat,
  example: TemplateComponent['example'],
  type: 'HEADER' | 'BODY' | 'FOOTER',
  path: string,
): string | undefined {
  if (names.length === 0) return undefined;
  if (format === 'POSITIONAL') {
    const expected = names.map((_, i) => String(i + 1));
    if (names.some((n, i) => n !== expected[i])) return `${path}.text: positional variables must be {{1}}, {{2}}, … in order`;
    const samples = type === 'BODY' ? example?.body_text?.[0] : example?.header_text;
    if (!samples || samples.length !== names.length) return `${path}.example: one sample value per variable is required`;
  } else {
    if (names.some((n) => !/^[a-z_][a-z0-9_]*$/.test(n))) return `${path}.text: named variables use lowercase letters, digits and underscores`;
    const samples = type === 'BODY' ? example?.body_text_named_params : example?.header_text_named_params;
    const sampled = new Set(samples?.map((s) => s.param_name));
    if (names.some((n) => !sampled.has(n))) return `${path}.example: a sample value per named variable is required`;
  }
  return undefined;
}
