// Splits a webhook body into its changes and reads each change into the records ingest writes.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
import { hash } from 'node:crypto';
import type { Json, JsonObject, MetaContact, MetaMessage, MetaStatus } from './meta-types.ts';
import { normaliseErrors, obj, parseMessage, parseTimestamp, str, type NormalisedError, type ParsedMessage } from './parse-message.ts';

export interface WebhookChange {
  wabaId: string;
  field: string;
  /** Meta's phone_number_id for `messages` changes; routes the change to its tenant. */
  phoneNumberId: string | null;
  displayPhoneNumber: string | null;
  value: JsonObject;
  /** The change as stored raw (entry id and time, field and value), serialised once: hashed and stored. */
  payloadJson: string;
  sha256: string;
}

export type BodyParse = { ok: true; changes: WebhookChange[] } | { ok: false; reason: string };

export function parseWebhookBody(raw: string): BodyParse {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const root = obj(body);
  if (root.object !== 'whatsapp_business_account') return { ok: false, reason: 'object is not whatsapp_business_account' };
  if (!Array.isArray(root.entry)) return { ok: false, reason: 'entry is not an array' };
  const changes: WebhookChange[] = [];
  for (const e of root.entry) {
    const entry = obj(e);
    const wabaId = str(entry.id) ?? '';
    if (!Array.isArray(entry.changes)) continue;
    for (const c of entry.changes) {
      const change = obj(c);
      const field = str(change.field) ?? 'unknown';
      const value = obj(change.value);
      const metadata = obj(value.metadata);
      const payload: JsonObject = { entryId: wabaId, field, value };
      if (entry.time !== undefined) payload.entryTime = entry.time;
      const payloadJson = JSON.stringify(payload);
      changes.push({
        wabaId,
        field,
        phoneNumberId: str(metadata.phone_number_id),
        displayPhoneNumber: str(metadata.display_phone_number),
        value,
        payloadJson,
        // One-shot hashing: no Hash object per change (about a third cheaper for a change this size).
        sha256: hash('sha256', payloadJson),
      });
    }
  }
  return { ok: true, changes };
}

export interface ContactInput {
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  displayName: string | null;
}

export interface InboundMessage extends ParsedMessage {
  phoneNumberId: string;
  /**
   * An echo (`smb_message_echoes`): what the business sent from the WhatsApp Business app. Stored as an
   * outbound message; `fromWaId`/`fromUserId` then name the customer it went to, not the sender.
   */
  echo?: boolean;
}

/**
 * An edit or revoke (`type: edit | revoke`), by its own wamid: the customer's of one of their messages, or
 * the business's, in the WhatsApp Business app, of one of its echoed messages.
 */
export interface RevisionInput {
  wamid: string;
  originalWamid: string;
  kind: 'edit' | 'revoke';
  author: 'customer' | 'business_app';
  /** The new text (body or caption) of an edit; null for a revoke. */
  text: string | null;
  occurredAt: Date;
}

export type ConversationEventKind = 'welcome_request' | 'call' | 'call_permission';

/**
 * Something that happens in a conversation and is not a message: the customer opened the chat for the
 * first time, a call, an answer to a call-permission request. `details` never carries personal data.
 */
export interface ConversationEventInput {
  kind: ConversationEventKind;
  /** Meta's id of the event (a wamid or a call id): redeliveries of it land once. */
  eventKey: string;
  phoneNumberId: string;
  /** The customer. */
  waId: string | null;
  userId: string | null;
  at: Date;
  details: JsonObject;
}

export interface TemplateCategoryUpdate {
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  category: string;
}

export interface TemplateQualityUpdate {
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  quality: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
}

export interface StatusInput {
  wamid: string;
  status: string;
  occurredAt: Date;
  recipientId: string | null;
  recipientUserId: string | null;
  conversation: JsonObject | null;
  pricing: JsonObject | null;
  errors: NormalisedError[];
  extra: JsonObject | null;
}

export interface TemplateUpdate {
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  reason: string | null;
}

export interface AccountUpdate {
  wabaId: string;
  event: string;
  restrictionInfo: Json | null;
}

export interface PreferenceInput {
  waId: string | null;
  userId: string | null;
  category: string;
  stop: boolean;
  at: Date;
}

export interface ChangeRecords {
  contacts: ContactInput[];
  messages: InboundMessage[];
  statuses: StatusInput[];
  templates: TemplateUpdate[];
  templateCategories: TemplateCategoryUpdate[];
  templateQualities: TemplateQualityUpdate[];
  accounts: AccountUpdate[];
  preferences: PreferenceInput[];
  revisions: RevisionInput[];
  events: ConversationEventInput[];
}

function emptyRecords(): ChangeRecords {
  return {
    contacts: [], messages: [], statuses: [], templates: [], templateCategories: [], templateQualities: [], accounts: [], preferences: [],
    revisions: [], events: [],
  };
}

/** The records of several changes, in order, as one. */
export function mergeRecords(parts: ChangeRecords[]): ChangeRecords {
  const all = emptyRecords();
  for (const part of parts) for (const key of Object.keys(all) as (keyof ChangeRecords)[]) (all[key] as unknown[]).push(...part[key]);
  return all;
}

const STATUS_KEYS = new Set([
  'id', 'status', 'timestamp', 'recipient_id', 'recipient_user_id', 'conversation', 'pricing', 'errors',
]);

/** Reads one change into the records ingest writes. Unknown fields stay in the raw event only. */
export function readChange(change: WebhookChange): ChangeRecords {
  const into = emptyRecords();
  readInto(change, into);
  return into;
}

function readInto(change: WebhookChange, into: ChangeRecords): void {
  const { value } = change;
  switch (change.field) {
    case 'messages': {
      readContacts(value, into);
      for (const m of asArray(value.messages)) {
        const message = obj(m) as MetaMessage;
        if (readMessageEvent(message, change, into)) continue;
        const parsed = parseMessage(message);
        if (!parsed || !change.phoneNumberId || (!parsed.fromWaId && !parsed.fromUserId)) continue;
        into.messages.push({ ...parsed, phoneNumberId: change.phoneNumberId });
      }
      for (const s of asArray(value.statuses)) {
        const status = obj(s) as MetaStatus;
        const wamid = str(status.id);
        const name = str(status.status);
        if (!wamid || !name) continue;
        const extra: JsonObject = {};
        for (const [k, v] of Object.entries(status)) if (!STATUS_KEYS.has(k) && v !== undefined) extra[k] = v as Json;
        into.statuses.push({
          wamid,
          status: name,
          occurredAt: parseTimestamp(status.timestamp),
          recipientId: str(status.recipient_id),
          recipientUserId: str(status.recipient_user_id),
          conversation: status.conversation ? obj(status.conversation) : null,
          pricing: status.pricing ? obj(status.pricing) : null,
          errors: normaliseErrors(status.errors),
          extra: Object.keys(extra).length ? extra : null,
        });
      }
      return;
    }
    case 'message_template_status_update': {
      const templateId = str(value.message_template_id);
      const event = str(value.event);
      if (!templateId || !event) return;
      into.templates.push({
        wabaId: change.wabaId,
        templateId,
        name: str(value.message_template_name) ?? '',
        language: str(value.message_template_language) ?? '',
        category: str(value.message_template_category),
        status: event,
        reason: str(value.reason),
      });
      return;
    }
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
    case 'smb_message_echoes': {
      readContacts(value, into);
      for (const m of asArray(value.message_echoes)) {
        const echo = obj(m);
        const revision = readRevision(echo as MetaMessage, 'business_app');
        if (revision) {
          into.revisions.push(revision);
          continue;
        }
        const parsed = parseMessage(echo as MetaMessage);
        // The customer is the recipient: `to` (phone) and, since BSUIDs, `to_user_id`.
        const waId = str(echo.to);
        const userId = str(echo.to_user_id);
        if (!parsed || !change.phoneNumberId || (!waId && !userId)) continue;
        if (parsed.extra) {
          delete parsed.extra.to;
          delete parsed.extra.to_user_id;
          if (Object.keys(parsed.extra).length === 0) parsed.extra = null;
        }
        into.messages.push({ ...parsed, fromWaId: waId, fromUserId: userId, phoneNumberId: change.phoneNumberId, echo: true });
      }
      return;
    }
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/reference
    case 'calls': {
      readContacts(value, into);
      if (!change.phoneNumberId) return;
      for (const c of asArray(value.calls)) {
        const call = readCall(obj(c), change.phoneNumberId);
        if (call) into.events.push(call);
      }
      // Business-initiated calls report RINGING / ACCEPTED / REJECTED as statuses of type "call".
      for (const s of asArray(value.statuses)) {
        const status = obj(s);
        const callId = str(status.id);
        const state = str(status.status);
        const waId = str(status.recipient_id) || null;
        const userId = str(status.recipient_user_id);
        if (!callId || !state || (!waId && !userId)) continue;
        into.events.push({
          kind: 'call',
          eventKey: callId,
          phoneNumberId: change.phoneNumberId,
          waId,
          userId,
          at: parseTimestamp(status.timestamp),
          details: { direction: 'business_initiated', status: state.toLowerCase() },
        });
      }
      return;
    }
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/template_category_update
    case 'template_category_update': {
      const templateId = str(value.message_template_id);
      const category = str(value.new_category);
      // Only a completed change names a previous category; an impending one (correct_category, a future
      // category_update_timestamp) has not happened yet and changes nothing.
      if (!templateId || !category || value.correct_category !== undefined) return;
      into.templateCategories.push({
        wabaId: change.wabaId,
        templateId,
        name: str(value.message_template_name) ?? '',
        language: str(value.message_template_language) ?? '',
        category,
      });
      return;
    }
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_quality_update
    case 'message_template_quality_update': {
      const templateId = str(value.message_template_id);
      const score = str(value.new_quality_score)?.toUpperCase();
      if (!templateId || !score) return;
      into.templateQualities.push({
        wabaId: change.wabaId,
        templateId,
        name: str(value.message_template_name) ?? '',
        language: str(value.message_template_language) ?? '',
        quality: score === 'GREEN' || score === 'YELLOW' || score === 'RED' ? score : 'UNKNOWN',
      });
      return;
    }
    case 'account_update': {
      const event = str(value.event);
      if (!event) return;
      into.accounts.push({
        wabaId: change.wabaId,
        event,
        restrictionInfo: value.restriction_info ?? value.ban_info ?? null,
      });
      return;
    }
    case 'user_preferences': {
      for (const p of asArray(value.user_preferences)) {
        const pref = obj(p);
        const choice = str(pref.value);
        if (choice !== 'stop' && choice !== 'resume') continue;
        const waId = str(pref.wa_id);
        const userId = str(pref.user_id);
        if (!waId && !userId) continue;
        into.preferences.push({
          waId,
          userId,
          category: str(pref.category) ?? 'marketing_messages',
          stop: choice === 'stop',
          at: parseTimestamp(pref.timestamp),
        });
      }
      // Some senders of this field include the contacts block, as on messages.
      readContacts(value, into);
      return;
    }
    default:
      return;
  }
}

const CALL_DIRECTIONS: Record<string, string> = { USER_INITIATED: 'user_initiated', BUSINESS_INITIATED: 'business_initiated' };

/** One entry of a `calls` change: `connect` (ringing or answered) or `terminate` (with status and duration). */
function readCall(call: JsonObject, phoneNumberId: string): ConversationEventInput | null {
  const id = str(call.id);
  const event = str(call.event);
  const direction = CALL_DIRECTIONS[str(call.direction)?.toUpperCase() ?? ''] ?? null;
  if (!id || !event || !direction) return null;
  // The customer is the caller of a call they started, the callee of one the business started.
  const customer = direction === 'user_initiated'
    ? { waId: str(call.from), userId: str(call.from_user_id) }
    : { waId: str(call.to), userId: str(call.to_user_id) };
  if (!customer.waId && !customer.userId) return null;
  const details: JsonObject = { direction };
  if (event === 'terminate') {
    details.status = (str(call.status) ?? 'completed').toLowerCase();
    const duration = Number(call.duration);
    if (Number.isFinite(duration) && duration >= 0) details.durationSeconds = Math.round(duration);
    if (call.start_time !== undefined) details.startedAt = parseTimestamp(call.start_time).toISOString();
    if (call.end_time !== undefined) details.endedAt = parseTimestamp(call.end_time).toISOString();
    const code = obj(asArray(call.errors)[0]).code;
    if (typeof code === 'number') details.errorCode = code;
  } else if (event === 'connect') {
    details.status = 'connecting';
  } else {
    return null;
  }
  return { kind: 'call', eventKey: id, phoneNumberId, ...customer, at: parseTimestamp(call.timestamp), details };
}

/**
 * An edit (`edit.original_message_id`, `edit.message` with the new text or caption) or a revoke
 * (`revoke.original_message_id`); null for anything else, or one that names no original.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/revoke
 */
function readRevision(message: MetaMessage, author: RevisionInput['author']): RevisionInput | null {
  const wamid = str(message.id);
  const type = str(message.type);
  if (!wamid || (type !== 'edit' && type !== 'revoke')) return null;
  const occurredAt = parseTimestamp(message.timestamp);
  if (type === 'revoke') {
    const originalWamid = str(obj(message.revoke).original_message_id);
    return originalWamid ? { wamid, originalWamid, kind: 'revoke', author, text: null, occurredAt } : null;
  }
  const edit = obj(message.edit);
  const originalWamid = str(edit.original_message_id);
  if (!originalWamid) return null;
  const edited = obj(edit.message);
  const kind = str(edited.type) ?? 'text';
  const body = obj(edited[kind]);
  const text = kind === 'text' ? str(body.body) : str(body.caption);
  return { wamid, originalWamid, kind: 'edit', author, text: text ?? '', occurredAt };
}

/**
 * Entries of `value.messages` that are not messages of their own: a customer's edit or revoke of an
 * earlier message, their first opening of the chat, their answer to a call-permission request. Returns
 * whether the entry was one of these (read into `into`).
 */
function readMessageEvent(message: MetaMessage, change: WebhookChange, into: ChangeRecords): boolean {
  const wamid = str(message.id);
  const type = str(message.type);
  const phoneNumberId = change.phoneNumberId;
  const waId = str(message.from);
  const userId = str(message.from_user_id);
  if (!wamid || !phoneNumberId || (!waId && !userId)) return false;
  const at = parseTimestamp(message.timestamp);
  switch (type) {
    case 'edit':
    case 'revoke': {
      const revision = readRevision(message, 'customer');
      if (revision) into.revisions.push(revision);
      return revision !== null;
    }
    case 'request_welcome':
      into.events.push({ kind: 'welcome_request', eventKey: wamid, phoneNumberId, waId, userId, at, details: {} });
      return true;
    case 'interactive': {
      const interactive = obj(message.interactive);
      if (str(interactive.type) !== 'call_permission_reply') return false;
      const reply = obj(interactive.call_permission_reply);
      const details: JsonObject = { response: str(reply.response) ?? 'unknown', permanent: reply.is_permanent === true };
      if (reply.expiration_timestamp !== undefined) details.expiresAt = parseTimestamp(reply.expiration_timestamp).toISOString();
      const source = str(reply.response_source);
      if (source) details.responseSource = source;
      into.events.push({ kind: 'call_permission', eventKey: wamid, phoneNumberId, waId, userId, at, details });
      return true;
    }
    default:
      return false;
  }
}

/** `value.contacts`: who the change is about, by phone (wa_id) and/or BSUID (user_id). */
function readContacts(value: JsonObject, into: ChangeRecords): void {
  for (const c of asArray(value.contacts)) {
    const contact = obj(c) as MetaContact;
    const waId = str(contact.wa_id);
    const userId = str(contact.user_id);
    if (!waId && !userId) continue;
    into.contacts.push({ waId, userId, parentUserId: str(contact.parent_user_id), displayName: str(obj(contact.profile).name) });
  }
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}
