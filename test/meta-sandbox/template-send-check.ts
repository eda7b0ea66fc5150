// Whether a template send may go out, the way Cloud API decides it synchronously: the template must
// exist in that language (132001), be APPROVED (paused 132015, disabled 132016, otherwise 132001),
// and the parameters must fit its placeholders: count or names (132000), media header type
// (132012), and a parameter for every button that needs one (131008).
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
import { fail, graphFailure, type GraphFailure, type GraphResult } from './graph-errors.ts';
import { placeholders, type MessageTemplate, type TemplateStore } from './templates.ts';

export interface TemplateSend {
  name: string;
  language: string;
  components: readonly unknown[];
}

interface SendParameter {
  type?: unknown;
  text?: unknown;
  parameter_name?: unknown;
  [key: string]: unknown;
}

interface SendComponent {
  type: string;
  sub_type?: string;
  index?: string;
  parameters: SendParameter[];
}

export function checkTemplateSend(store: TemplateStore, wabaId: string, send: TemplateSend): GraphResult<MessageTemplate> {
  const template = store.find(wabaId, send.name, send.language);
  if (!template) {
    return fail(graphFailure(132001, { details: `template name (${send.name}) does not exist in ${send.language}` }));
  }
  if (template.status === 'PAUSED') return fail(graphFailure(132015));
  if (template.status === 'DISABLED') return fail(graphFailure(132016));
  if (template.status !== 'APPROVED') {
    return fail(graphFailure(132001, { details: `template name (${send.name}) is ${template.status.toLowerCase()} in ${send.language} and cannot be sent` }));
  }
  const components = send.components.map(normalise);
  const problem = checkHeader(template, components) ?? checkBody(template, components) ?? checkButtons(template, components);
  return problem ? fail(problem) : { ok: true, value: template };
}

function normalise(raw: unknown): SendComponent {
  const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    type: String(c.type ?? '').toLowerCase(),
    ...(c.sub_type === undefined ? {} : { sub_type: String(c.sub_type).toLowerCase() }),
    ...(c.index === undefined ? {} : { index: String(c.index) }),
    parameters: Array.isArray(c.parameters) ? (c.parameters as SendParameter[]) : [],
  };
}

const countMismatch = (where: string, given: number, expected: number): GraphFailure =>
  graphFailure(132000, { details: `${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})` });

function checkHeader(template: MessageTemplate, components: SendComponent[]): GraphFailure | undefined {
  const header = template.components.find((c) => c.type === 'HEADER');
  const given = components.find((c) => c.type === 'header')?.parameters ?? [];
  const format = header?.format ?? 'TEXT';
  if (!header || format === 'TEXT') {
    const expected = placeholders(header?.text).length;
    return given.length === expected ? undefined : countMismatch('header', given.length, expected);
  }
  const wanted = format.toLowerCase();
  const parameter = given[0];
  if (given.length !== 1 || parameter?.type !== wanted) {
    const received = typeof parameter?.type === 'string' ? parameter.type.toUpperCase() : 'UNKNOWN';
    return graphFailure(132012, { details: `header: Format mismatch, expected ${format}, received ${received}` });
  }
  const media = parameter[wanted] as { id?: unknown; link?: unknown } | undefined;
  if (wanted !== 'location' && typeof media?.id !== 'string' && typeof media?.link !== 'string') {
    return graphFailure(131008, { details: `header: parameter ${wanted} requires an id or a link` });
  }
  return undefined;
}

function checkBody(template: MessageTemplate, components: SendComponent[]): GraphFailure | undefined {
  const expected = placeholders(template.components.find((c) => c.type === 'BODY')?.text);
  const given = components.find((c) => c.type === 'body')?.parameters ?? [];
  if (template.parameter_format === 'POSITIONAL') {
    if (given.length !== expected.length) return countMismatch('body', given.length, expected.length);
  } else {
    const names = given.map((p) => p.parameter_name);
    const wanted = new Set(expected);
    const unknown = names.filter((n) => typeof n !== 'string' || !wanted.has(n));
    const missing = expected.filter((n) => !names.includes(n));
    if (given.length !== expected.length || unknown.length > 0 || missing.length > 0) {
      return graphFailure(132000, {
        details: `body: expected named params {${expected.join(', ')}}, got {${names.map((n) => (typeof n === 'string' ? n : '<no parameter_name>')).join(', ')}}`,
      });
    }
  }
  for (const [i, parameter] of given.entries()) {
    if (parameter.type === 'text' && (typeof parameter.text !== 'string' || parameter.text === '')) {
      return graphFailure(131008, { details: `body: parameters[${i}].text is required` });
    }
  }
  return undefined;
}

/** OTP buttons and URL buttons with a variable need their value in a `button` component. */
function checkButtons(template: MessageTemplate, components: SendComponent[]): GraphFailure | undefined {
  const buttons = template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  for (const [index, button] of buttons.entries()) {
    const needsValue = button.type === 'OTP' || (button.type === 'URL' && placeholders(button.url).length > 0);
    if (!needsValue) continue;
    const given = components.find((c) => c.type === 'button' && c.index === String(index));
    const value = given?.parameters[0];
    if (!given || (typeof value?.text !== 'string' && typeof value?.payload !== 'string')) {
      return graphFailure(131008, { details: `buttons: Button at index ${index} of type Url requires a parameter` });
    }
  }
  return undefined;
}
