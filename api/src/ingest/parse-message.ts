// Turns one inbound message of Meta's webhook into our typed content. Every type Meta documents has a
// shape here; anything else (or any field we do not model) is kept in `extra`, never dropped.
import type { Json, JsonObject, MetaError, MetaMessage } from './meta-types.ts';

export interface NormalisedError {
  code: number | null;
  title: string | null;
  message: string | null;
  details: string | null;
  href: string | null;
}

export interface ParsedMessage {
  wamid: string;
  fromWaId: string | null;
  fromUserId: string | null;
  type: string;
  text: string | null;
  content: JsonObject;
  context: JsonObject | null;
  errors: NormalisedError[];
  extra: JsonObject | null;
  sentAt: Date;
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const KNOWN_TYPES = new Set([
  'text', ...MEDIA_TYPES, 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system', 'unsupported',
]);
const ENVELOPE_KEYS = new Set(['id', 'from', 'from_user_id', 'timestamp', 'type', 'context', 'errors']);

export function parseMessage(message: MetaMessage): ParsedMessage | null {
  const wamid = str(message.id);
  if (!wamid) return null;
  const declared = str(message.type) ?? 'unknown';
  const type = KNOWN_TYPES.has(declared) ? declared : 'unknown';
  const body = obj(message[declared]);
  const { content, text } = parseContent(type, body, message);
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(message)) {
    if (ENVELOPE_KEYS.has(key) || key === declared || value === undefined) continue;
    extra[key] = value as Json;
  }
  if (type === 'unknown') extra.type = declared;
  return {
    wamid,
    fromWaId: str(message.from),
    fromUserId: str(message.from_user_id),
    type,
    text,
    content,
    context: parseContext(obj(message.context)),
    errors: normaliseErrors(message.errors),
    extra: Object.keys(extra).length > 0 ? extra : null,
    sentAt: parseTimestamp(message.timestamp),
  };
}

function parseContent(type: string, body: JsonObject, message: MetaMessage): { content: JsonObject; text: string | null } {
  if (MEDIA_TYPES.has(type)) {
    const content = compact({
      mediaId: str(body.id),
      mimeType: str(body.mime_type),
      sha256: str(body.sha256),
      caption: str(body.caption),
      filename: str(body.filename),
      voice: bool(body.voice),
      animated: bool(body.animated),
      url: str(body.url),
    });
    return { content, text: str(body.caption) };
  }
  switch (type) {
    case 'text':
      return { content: { body: str(body.body) ?? '' }, text: str(body.body) ?? '' };
    case 'location': {
      const content = compact({
        latitude: num(body.latitude),
        longitude: num(body.longitude),
        name: str(body.name),
        address: str(body.address),
        url: str(body.url),
      });
      return { content, text: str(body.name) ?? str(body.address) };
    }
    case 'contacts': {
      const list = Array.isArray(message.contacts) ? message.contacts.map((c) => parseSharedContact(obj(c))) : [];
      const names = list.map((c) => c.formattedName).filter((n): n is string => typeof n === 'string');
      return { content: { contacts: list }, text: names.join(', ') || null };
    }
    case 'interactive': {
      const kind = str(body.type) ?? 'unknown';
      const reply = obj(body[kind]);
      const content = compact({
        kind,
        replyId: str(reply.id) ?? '',
        title: str(reply.title) ?? str(reply.name) ?? '',
        description: str(reply.description),
        // nfm_reply (flows) carries a JSON string of the form's answers.
        responseJson: str(reply.response_json),
      });
      return { content, text: str(reply.title) ?? str(reply.body) };
    }
    case 'button':
      return { content: compact({ payload: str(body.payload), text: str(body.text) ?? '' }), text: str(body.text) };
    case 'reaction': {
      // Meta signals a removed reaction with an empty or missing emoji.
      const emoji = str(body.emoji);
      return {
        content: { reactedToWamid: str(body.message_id) ?? '', emoji: emoji || null, removed: !emoji },
        text: emoji || null,
      };
    }
    case 'order': {
      const items = Array.isArray(body.product_items)
        ? body.product_items.map((i) => {
            const item = obj(i);
            return compact({
              productRetailerId: str(item.product_retailer_id),
              quantity: num(item.quantity),
              itemPrice: num(item.item_price),
              currency: str(item.currency),
            });
          })
        : [];
      return { content: compact({ catalogId: str(body.catalog_id), text: str(body.text), items }), text: str(body.text) };
    }
    case 'system':
      return {
        content: compact({
          body: str(body.body),
          systemType: str(body.type),
          newWaId: str(body.wa_id) ?? str(body.new_wa_id),
          customer: str(body.customer),
        }),
        text: str(body.body),
      };
    case 'unsupported':
      return {
        content: compact({ errors: normaliseErrors(message.errors) as unknown as Json[], unsupportedType: str(body.type) }),
        text: null,
      };
    default:
      return { content: body, text: null };
  }
}

function parseSharedContact(c: JsonObject): JsonObject {
  const name = obj(c.name);
  const phones = Array.isArray(c.phones)
    ? c.phones.map((p) => {
        const phone = obj(p);
        return compact({ phone: str(phone.phone), waId: str(phone.wa_id), type: str(phone.type) });
      })
    : [];
  const emails = Array.isArray(c.emails)
    ? c.emails.map((e) => compact({ email: str(obj(e).email), type: str(obj(e).type) }))
    : [];
  return compact({
    formattedName: str(name.formatted_name) ?? [str(name.first_name), str(name.last_name)].filter(Boolean).join(' '),
    firstName: str(name.first_name),
    lastName: str(name.last_name),
    phones,
    emails,
    organization: Object.keys(obj(c.org)).length ? obj(c.org) : null,
  });
}

function parseContext(context: JsonObject): JsonObject | null {
  if (Object.keys(context).length === 0) return null;
  return compact({
    from: str(context.from),
    repliedToWamid: str(context.id),
    forwarded: bool(context.forwarded) ?? false,
    frequentlyForwarded: bool(context.frequently_forwarded) ?? false,
    referredProduct: Object.keys(obj(context.referred_product)).length ? obj(context.referred_product) : null,
  });
}

export function normaliseErrors(errors: unknown): NormalisedError[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: MetaError) => ({
    code: typeof e?.code === 'number' ? e.code : null,
    title: str(e?.title),
    message: str(e?.message),
    details: str(e?.error_data?.details),
    href: str(e?.href),
  }));
}

/** Meta's timestamps are strings of unix seconds; a missing or broken one means "now", never an error. */
export function parseTimestamp(value: unknown): Date {
  const seconds = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function obj(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

function compact(record: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}
