// The synchronous checks of POST /<PHONE_NUMBER_ID>/messages: what Meta rejects before accepting a
// message. A missing field is code 100 ("The parameter x is required."), a field outside its
// enumeration code 100 ("Param x must be one of {…}"), a present but invalid value code 131009
// ("Parameter value is not valid"); error_data.details always names the field.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
import { fail, invalidChoice, invalidParameter, missingParameter, type GraphFailure, type GraphResult } from './graph-errors.ts';
import type { TemplateSend } from './template-send-check.ts';

export const sendTypes = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'reaction', 'template'] as const;
export type SendType = (typeof sendTypes)[number];

const mediaTypes = ['image', 'video', 'audio', 'document', 'sticker'] as const;
type MediaType = (typeof mediaTypes)[number];

export interface ValidatedSend {
  type: SendType;
  /** What the caller addressed, echoed back as `contacts[].input`. */
  input: string;
  /** `to` with the leading + and formatting removed. */
  waId?: string;
  /** `recipient`: a business-scoped user id. */
  userId?: string;
  template?: TemplateSend;
  /** `context.message_id`: the message this one replies to. */
  replyTo?: string;
}

export interface SendValidationContext {
  /** Whether the sandbox holds a media object with this id for the sending number. */
  hasMedia(id: string): boolean;
}

type Json = Record<string, unknown>;
type Check = GraphFailure | undefined;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function validateSend(body: unknown, context: SendValidationContext): GraphResult<ValidatedSend> {
  if (!isObject(body)) return fail(missingParameter('messaging_product'));
  if (body.messaging_product === undefined) return fail(missingParameter('messaging_product'));
  if (body.messaging_product !== 'whatsapp') return fail(invalidChoice('messaging_product', ['whatsapp'], body.messaging_product));
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return fail(invalidChoice('recipient_type', ['individual'], body.recipient_type));
  }

  const address = checkAddress(body);
  if (!address.ok) return address;

  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(sendTypes as readonly string[]).includes(type)) return fail(invalidChoice('type', sendTypes, type));
  const sendType = type as SendType;
  const payload = body[sendType];
  if (!isObject(payload) && !(sendType === 'contacts' && Array.isArray(payload))) return fail(missingParameter(sendType));

  const problem = checkPayload(sendType, payload as Json | unknown[], context) ?? checkContext(body.context);
  if (problem) return fail(problem);

  const replyTo = isObject(body.context) ? (body.context.message_id as string) : undefined;
  return {
    ok: true,
    value: {
      type: sendType,
      ...address.value,
      ...(sendType === 'template' ? { template: templateOf(payload as Json) } : {}),
      ...(replyTo === undefined ? {} : { replyTo }),
    },
  };
}

function checkAddress(body: Json): GraphResult<Pick<ValidatedSend, 'input' | 'waId' | 'userId'>> {
  const { to, recipient } = body;
  if (to !== undefined && recipient !== undefined) return fail(invalidParameter('to, recipient: set exactly one of to or recipient'));
  if (to === undefined && recipient === undefined) return fail(missingParameter('to'));
  if (to !== undefined) {
    if (typeof to !== 'string' || !/^\+?\d{5,15}$/.test(to.replace(/[\s()-]/g, ''))) {
      return fail(invalidParameter(`to: ${JSON.stringify(to)} is not a valid WhatsApp user phone number`));
    }
    return { ok: true, value: { input: to, waId: to.replace(/\D/g, '') } };
  }
  // Business-scoped user ids: `CC.<alnum>`, enterprise parents `US.ENT.<alnum>`.
  if (typeof recipient !== 'string' || !/^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/.test(recipient)) {
    return fail(invalidParameter(`recipient: ${JSON.stringify(recipient)} is not a valid business-scoped user id`));
  }
  return { ok: true, value: { input: recipient, userId: recipient } };
}

function checkContext(context: unknown): Check {
  if (context === undefined) return undefined;
  if (!isObject(context) || typeof context.message_id !== 'string' || context.message_id === '') return missingParameter("context['message_id']");
  return undefined;
}

function checkPayload(type: SendType, payload: Json | unknown[], context: SendValidationContext): Check {
  if (Array.isArray(payload)) return checkContacts(payload);
  switch (type) {
    case 'text':
      return text(payload.body, 'text.body', { max: 4096 });
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return checkMedia(type, payload, context);
    case 'location':
      return checkLocation(payload);
    case 'contacts':
      return missingParameter('contacts');
    case 'interactive':
      return checkInteractive(payload);
    case 'reaction':
      return (
        text(payload.message_id, 'reaction.message_id') ??
        // An empty emoji removes a reaction; absent is a mistake.
        (typeof payload.emoji === 'string' ? undefined : missingParameter('reaction.emoji'))
      );
    case 'template':
      return checkTemplate(payload);
  }
}

/** A required (unless `optional`) string of 1..max characters. */
function text(value: unknown, field: string, { max = Infinity, optional = false } = {}): Check {
  if (value === undefined || value === null) return optional ? undefined : missingParameter(field);
  if (typeof value !== 'string') return invalidParameter(`${field} must be a string`);
  if (value.trim() === '') return optional ? undefined : missingParameter(field);
  // Meta counts characters, not UTF-16 units: an emoji is one.
  const length = [...value].length;
  if (length > max) return invalidParameter(`${field}: length ${length} exceeds the maximum of ${max} characters`);
  return undefined;
}

function checkMedia(type: MediaType, payload: Json, context: SendValidationContext): Check {
  const { id, link } = payload;
  if (id !== undefined && link !== undefined) return invalidParameter(`${type}: set exactly one of id or link`);
  if (id === undefined && link === undefined) return missingParameter(`${type}.id`);
  if (id !== undefined) {
    if (typeof id !== 'string' || !context.hasMedia(id)) return invalidParameter(`${type}.id: ${JSON.stringify(id)} is not a valid media id for this phone number`);
  } else if (typeof link !== 'string' || !URL.canParse(link) || new URL(link).protocol !== 'https:') {
    return invalidParameter(`${type}.link: ${JSON.stringify(link)} is not an https URL`);
  }
  if (payload.caption !== undefined && (type === 'audio' || type === 'sticker')) return invalidParameter(`${type}.caption: ${type} messages cannot have a caption`);
  return text(payload.caption, `${type}.caption`, { max: 1024, optional: true }) ?? text(payload.filename, `${type}.filename`, { max: 240, optional: true });
}

function checkLocation(payload: Json): Check {
  const { latitude, longitude } = payload;
  for (const [field, value, limit] of [['latitude', latitude, 90], ['longitude', longitude, 180]] as const) {
    if (value === undefined) return missingParameter(`location.${field}`);
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit) return invalidParameter(`location.${field}: ${JSON.stringify(value)} is out of range`);
  }
  return text(payload.name, 'location.name', { max: 1000, optional: true }) ?? text(payload.address, 'location.address', { max: 1000, optional: true });
}

function checkContacts(cards: unknown[]): Check {
  if (cards.length === 0) return missingParameter('contacts');
  for (const [i, card] of cards.entries()) {
    const name = isObject(card) ? card.name : undefined;
    if (!isObject(name)) return missingParameter(`contacts[${i}].name`);
    const problem = text(name.formatted_name, `contacts[${i}].name.formatted_name`);
    if (problem) return problem;
  }
  return undefined;
}

const interactiveTypes = ['button', 'list', 'cta_url'] as const;

function checkInteractive(payload: Json): Check {
  const { type, body, footer, action, header } = payload;
  if (!(interactiveTypes as readonly unknown[]).includes(type)) return invalidChoice('interactive.type', interactiveTypes, type);
  if (!isObject(body)) return missingParameter('interactive.body');
  const bodyMax = type === 'list' ? 4096 : 1024;
  const problem =
    text(body.text, 'interactive.body.text', { max: bodyMax }) ??
    (footer === undefined ? undefined : isObject(footer) ? text(footer.text, 'interactive.footer.text', { max: 60 }) : missingParameter('interactive.footer.text')) ??
    (isObject(header) && header.type === 'text' ? text(header.text, 'interactive.header.text', { max: 60 }) : undefined);
  if (problem) return problem;
  if (!isObject(action)) return missingParameter('interactive.action');
  if (type === 'button') return checkButtons(action);
  if (type === 'list') return checkList(action);
  return isObject(action.parameters)
    ? text(action.parameters.display_text, 'interactive.action.parameters.display_text', { max: 20 }) ?? text(action.parameters.url, 'interactive.action.parameters.url')
    : missingParameter('interactive.action.parameters');
}

function checkButtons(action: Json): Check {
  const { buttons } = action;
  if (!Array.isArray(buttons) || buttons.length === 0) return missingParameter('interactive.action.buttons');
  if (buttons.length > 3) return invalidParameter(`interactive.action.buttons: ${buttons.length} buttons exceed the maximum of 3`);
  const ids = new Set<unknown>();
  for (const [i, button] of buttons.entries()) {
    const path = `interactive.action.buttons[${i}]`;
    if (!isObject(button) || button.type !== 'reply' || !isObject(button.reply)) return missingParameter(`${path}.reply`);
    const problem = text(button.reply.id, `${path}.reply.id`, { max: 256 }) ?? text(button.reply.title, `${path}.reply.title`, { max: 20 });
    if (problem) return problem;
    if (ids.has(button.reply.id)) return invalidParameter(`${path}.reply.id: button ids must be unique`);
    ids.add(button.reply.id);
  }
  return undefined;
}

function checkList(action: Json): Check {
  const { sections } = action;
  const problem = text(action.button, 'interactive.action.button', { max: 20 });
  if (problem) return problem;
  if (!Array.isArray(sections) || sections.length === 0) return missingParameter('interactive.action.sections');
  if (sections.length > 10) return invalidParameter(`interactive.action.sections: ${sections.length} sections exceed the maximum of 10`);
  const ids = new Set<unknown>();
  let rows = 0;
  for (const [s, section] of sections.entries()) {
    const path = `interactive.action.sections[${s}]`;
    if (!isObject(section) || !Array.isArray(section.rows) || section.rows.length === 0) return missingParameter(`${path}.rows`);
    // A title is required once there is more than one section.
    const titleProblem = text(section.title, `${path}.title`, { max: 24, optional: sections.length === 1 });
    if (titleProblem) return titleProblem;
    for (const [r, row] of section.rows.entries()) {
      const rowPath = `${path}.rows[${r}]`;
      if (!isObject(row)) return missingParameter(rowPath);
      const rowProblem =
        text(row.id, `${rowPath}.id`, { max: 200 }) ??
        text(row.title, `${rowPath}.title`, { max: 24 }) ??
        text(row.description, `${rowPath}.description`, { max: 72, optional: true });
      if (rowProblem) return rowProblem;
      if (ids.has(row.id)) return invalidParameter(`${rowPath}.id: row ids must be unique`);
      ids.add(row.id);
      rows++;
    }
  }
  if (rows > 10) return invalidParameter(`interactive.action.sections: ${rows} rows exceed the maximum of 10`);
  return undefined;
}

function checkTemplate(payload: Json): Check {
  const problem = text(payload.name, 'template.name', { max: 512 });
  if (problem) return problem;
  if (!isObject(payload.language)) return missingParameter('template.language');
  const code = text(payload.language.code, 'template.language.code');
  if (code) return code;
  if (payload.components !== undefined && !Array.isArray(payload.components)) return invalidParameter('template.components must be an array');
  return undefined;
}

function templateOf(payload: Json): TemplateSend {
  return {
    name: payload.name as string,
    language: (payload.language as Json).code as string,
    components: (payload.components as unknown[] | undefined) ?? [],
  };
}
