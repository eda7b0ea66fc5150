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
  accounts: AccountUpdate[];
  preferences: PreferenceInput[];
}

function emptyRecords(): ChangeRecords {
  return { contacts: [], messages: [], statuses: [], templates: [], accounts: [], preferences: [] };
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
        const parsed = parseMessage(obj(m) as MetaMessage);
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
