// Builders for everything Meta POSTs to a WhatsApp webhook, as plain objects of Meta's exact shape
// (META-WHATSAPP.md, "Shapes"). Inputs are camelCase; outputs are Meta's snake_case, with keys in
// Meta's order and optional keys omitted rather than null, as Meta does. `extra` merges fields the
// platform does not model yet: Meta adds fields without notice and our ingest must keep them.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages
import type { MetaWebhookError } from './meta-errors.ts';

type Extra = Readonly<Record<string, unknown>>;

// ---- envelope -------------------------------------------------------------------------------

export interface WebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: WebhookEntry[];
}

export interface WebhookEntry {
  id: string;
  /** Unix seconds as a number; present on non-`messages` fields only. */
  time?: number;
  changes: WebhookChange[];
}

export type WebhookChange =
  | MessagesChange
  | MessageEchoesChange
  | CallsChange
  | TemplateStatusChange
  | TemplateCategoryChange
  | TemplateQualityChange
  | AccountUpdateChange
  | UserPreferencesChange;

export function webhookEntry({ wabaId, time, changes }: { wabaId: string; time?: number; changes: WebhookChange[] }): WebhookEntry {
  return { id: wabaId, ...(time === undefined ? {} : { time }), changes };
}

/** One body with one entry for the WABA. */
export function webhookEnvelope(input: { wabaId: string; time?: number; changes: WebhookChange[] }): WebhookEnvelope {
  return { object: 'whatsapp_business_account', entry: [webhookEntry(input)] };
}

/** Meta batches: one POST may carry many entries (up to 1000 updates in all). */
export function batchEnvelope(entries: WebhookEntry[]): WebhookEnvelope {
  return { object: 'whatsapp_business_account', entry: entries };
}

// ---- field `messages` ------------------------------------------------------------------------

export interface MessagesChange {
  value: MessagesValue;
  field: 'messages';
}

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: ContactEntry[];
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
  errors?: MetaWebhookError[];
}

export function messagesChange(input: {
  phoneNumberId: string;
  displayPhoneNumber: string;
  contacts?: ContactEntry[];
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
  errors?: MetaWebhookError[];
  extra?: Extra;
}): MessagesChange {
  const value: MessagesValue = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: input.displayPhoneNumber, phone_number_id: input.phoneNumberId },
    ...(input.contacts ? { contacts: input.contacts } : {}),
    ...(input.messages ? { messages: input.messages } : {}),
    ...(input.statuses ? { statuses: input.statuses } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
    ...input.extra,
  };
  return { value, field: 'messages' };
}

// ---- who sent it -----------------------------------------------------------------------------

/**
 * A WhatsApp user as Meta identifies them. Since April 2026 `userId` (BSUID, `CC.<alnum>`) is
 * present on every message; `waId` (the phone number) may be absent for users with a username.
 */
export interface Sender {
  name: string;
  waId?: string;
  userId?: string;
  /** Enterprise parent BSUID, `US.ENT.<alnum>`. */
  parentUserId?: string;
  username?: string;
  countryCode?: string;
}

export interface ContactEntry {
  profile: { name: string; username?: string; country_code?: string };
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
}

export function contactEntry(sender: Sender, extra?: Extra): ContactEntry {
  assertIdentified(sender);
  return {
    profile: {
      name: sender.name,
      ...(sender.username === undefined ? {} : { username: sender.username }),
      ...(sender.countryCode === undefined ? {} : { country_code: sender.countryCode }),
    },
    ...(sender.waId === undefined ? {} : { wa_id: sender.waId }),
    ...(sender.userId === undefined ? {} : { user_id: sender.userId }),
    ...(sender.parentUserId === undefined ? {} : { parent_user_id: sender.parentUserId }),
    ...extra,
  };
}

function assertIdentified(sender: Sender): void {
  if (sender.waId === undefined && sender.userId === undefined) {
    throw new TypeError(`sender ${JSON.stringify(sender.name)} needs a waId or a userId`);
  }
}

// ---- inbound messages ------------------------------------------------------------------------

/** Reply (`from` is the quoted message's author) or forward marker. */
export type MessageContext =
  | { from: string; id: string }
  | { forwarded: true; frequently_forwarded?: true };

export function replyContext(quoted: { from: string; id: string }): MessageContext {
  return { from: quoted.from, id: quoted.id };
}

/** Meta marks messages forwarded more than five times as frequently forwarded. */
export function forwardedContext({ frequently = false } = {}): MessageContext {
  return frequently ? { forwarded: true, frequently_forwarded: true } : { forwarded: true };
}

interface InboundBase {
  context?: MessageContext;
  from?: string;
  from_user_id?: string;
  id: string;
  timestamp: string;
}

export interface MediaPayload {
  caption?: string;
  filename?: string;
  mime_type: string;
  sha256: string;
  id: string;
  url?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface LocationPayload {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface ContactCard {
  name: { formatted_name: string; first_name?: string; last_name?: string; middle_name?: string };
  phones?: { phone: string; wa_id?: string; type?: string }[];
  emails?: { email: string; type?: string }[];
  org?: { company?: string; department?: string; title?: string };
  addresses?: { street?: string; city?: string; zip?: string; country?: string; country_code?: string; type?: string }[];
  urls?: { url: string; type?: string }[];
  birthday?: string;
}

export interface OrderPayload {
  catalog_id: string;
  text?: string;
  product_items: { product_retailer_id: string; quantity: number; item_price: number; currency: string }[];
}

export interface SystemPayload {
  body: string;
  type: 'user_changed_number' | 'user_changed_user_id' | 'customer_identity_changed';
  wa_id?: string;
  user_id?: string;
  previous_user_id?: string;
}

export type InteractivePayload =
  | { type: 'button_reply'; button_reply: { id: string; title: string } }
  | { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } }
  | { type: 'call_permission_reply'; call_permission_reply: CallPermissionReply };

/** The customer's answer to a call-permission request (Calling API). */
export interface CallPermissionReply {
  response: 'accept' | 'reject';
  is_permanent: boolean;
  expiration_timestamp?: number;
  response_source: 'user_action' | 'automatic';
}

export type InboundMessage = InboundBase &
  (
    | { type: 'text'; text: { body: string } }
    | { type: 'image'; image: MediaPayload }
    | { type: 'video'; video: MediaPayload }
    | { type: 'audio'; audio: MediaPayload }
    | { type: 'document'; document: MediaPayload }
    | { type: 'sticker'; sticker: MediaPayload }
    | { type: 'location'; location: LocationPayload }
    | { type: 'contacts'; contacts: ContactCard[] }
    | { type: 'interactive'; interactive: InteractivePayload }
    | { type: 'button'; button: { payload: string; text: string } }
    | { type: 'reaction'; reaction: { message_id: string; emoji?: string } }
    | { type: 'order'; order: OrderPayload }
    | { type: 'system'; system: SystemPayload }
    | { type: 'unsupported'; errors: MetaWebhookError[]; unsupported?: { type: string } }
    | { type: 'edit'; edit: { original_message_id: string; message: EditedContent } }
    | { type: 'revoke'; revoke: { original_message_id: string } }
    | { type: 'request_welcome' }
  );

/** The new content of an edited message: text, or a media message's new caption. */
export type EditedContent =
  | { context?: MessageContext; type: 'text'; text: { body: string } }
  | { context?: MessageContext; type: 'image' | 'video' | 'document'; image?: { caption: string }; video?: { caption: string }; document?: { caption: string } };

export type InboundMessageType = InboundMessage['type'];

/** What every inbound builder takes: who, which wamid, when (unix seconds string), and context. */
export interface InboundInput {
  from: Sender;
  id: string;
  timestamp: string;
  context?: MessageContext;
  extra?: Extra;
}

function inbound<const T extends object>(input: InboundInput, typed: T): InboundBase & T {
  assertIdentified(input.from);
  return {
    ...(input.context ? { context: input.context } : {}),
    ...(input.from.waId === undefined ? {} : { from: input.from.waId }),
    ...(input.from.userId === undefined ? {} : { from_user_id: input.from.userId }),
    id: input.id,
    timestamp: input.timestamp,
    ...typed,
    ...input.extra,
  };
}

export function textMessage(input: InboundInput & { body: string }): InboundMessage {
  return inbound(input, { type: 'text', text: { body: input.body } });
}

/** A media object as Meta sends it; `sha256` is base64 in webhooks, `url` only on newer versions. */
export interface MediaInput {
  mediaId: string;
  mimeType: string;
  sha256: string;
  url?: string;
}

function media(input: MediaInput, before: Partial<MediaPayload>, after: Partial<MediaPayload> = {}): MediaPayload {
  return {
    ...before,
    mime_type: input.mimeType,
    sha256: input.sha256,
    id: input.mediaId,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...after,
  };
}

function caption(text: string | undefined): Partial<MediaPayload> {
  return text === undefined ? {} : { caption: text };
}

export function imageMessage(input: InboundInput & MediaInput & { caption?: string }): InboundMessage {
  return inbound(input, { type: 'image', image: media(input, caption(input.caption)) });
}

export function videoMessage(input: InboundInput & MediaInput & { caption?: string }): InboundMessage {
  return inbound(input, { type: 'video', video: media(input, caption(input.caption)) });
}

/** `voice: true` marks a push-to-talk recording (its status can become `played`). */
export function audioMessage(input: InboundInput & MediaInput & { voice?: boolean }): InboundMessage {
  return inbound(input, { type: 'audio', audio: media(input, {}, { voice: input.voice ?? false }) });
}

export function documentMessage(input: InboundInput & MediaInput & { filename: string; caption?: string }): InboundMessage {
  return inbound(input, {
    type: 'document',
    document: media(input, { ...caption(input.caption), filename: input.filename }),
  });
}

export function stickerMessage(input: InboundInput & MediaInput & { animated?: boolean }): InboundMessage {
  return inbound(input, { type: 'sticker', sticker: media(input, {}, { animated: input.animated ?? false }) });
}

export function locationMessage(input: InboundInput & LocationPayload): InboundMessage {
  const location: LocationPayload = {
    latitude: input.latitude,
    longitude: input.longitude,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.address === undefined ? {} : { address: input.address }),
    ...(input.url === undefined ? {} : { url: input.url }),
  };
  return inbound(input, { type: 'location', location });
}

export function contactsMessage(input: InboundInput & { cards: ContactCard[] }): InboundMessage {
  return inbound(input, { type: 'contacts', contacts: input.cards });
}

/** Tap on a reply button of our interactive message; `context` should point at that message. */
export function buttonReplyMessage(input: InboundInput & { replyId: string; title: string }): InboundMessage {
  return inbound(input, {
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: input.replyId, title: input.title } },
  });
}

export function listReplyMessage(input: InboundInput & { replyId: string; title: string; description?: string }): InboundMessage {
  const listReply = {
    id: input.replyId,
    title: input.title,
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  return inbound(input, { type: 'interactive', interactive: { type: 'list_reply', list_reply: listReply } });
}

/** Quick-reply button of a template message. */
export function templateButtonMessage(input: InboundInput & { payload: string; text: string }): InboundMessage {
  return inbound(input, { type: 'button', button: { payload: input.payload, text: input.text } });
}

/** Reaction to `messageId`; `emoji: ''` or no emoji at all means the reaction was removed. */
export function reactionMessage(input: InboundInput & { messageId: string; emoji?: string }): InboundMessage {
  const reaction = { message_id: input.messageId, ...(input.emoji === undefined ? {} : { emoji: input.emoji }) };
  return inbound(input, { type: 'reaction', reaction });
}

export function orderMessage(input: InboundInput & { order: OrderPayload }): InboundMessage {
  return inbound(input, { type: 'order', order: input.order });
}

/** System notices, e.g. a user changed number; they carry no contacts entry. */
export function systemMessage(input: InboundInput & { system: SystemPayload }): InboundMessage {
  return inbound(input, { type: 'system', system: input.system });
}

/** A message type Cloud API cannot deliver (poll, edit, …): error 131051, no content. */
export function unsupportedMessage(input: InboundInput & { errors: MetaWebhookError[]; unsupportedType?: string }): InboundMessage {
  return inbound(input, {
    errors: input.errors,
    type: 'unsupported',
    ...(input.unsupportedType === undefined ? {} : { unsupported: { type: input.unsupportedType } }),
  });
}

// ---- statuses of our outbound messages -------------------------------------------------------

export type StatusName = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface ConversationInfo {
  id: string;
  expiration_timestamp?: string;
  origin: { type: 'service' | 'marketing' | 'utility' | 'authentication' | 'referral_conversion' };
}

export interface PricingInfo {
  billable: boolean;
  pricing_model: 'CBP' | 'PMP';
  type?: 'regular' | 'free_customer_service' | 'free_entry_point';
  category: 'service' | 'marketing' | 'utility' | 'authentication' | 'referral_conversion';
}

export interface StatusUpdate {
  id: string;
  status: StatusName;
  timestamp: string;
  recipient_id: string;
  recipient_user_id?: string;
  conversation?: ConversationInfo;
  pricing?: PricingInfo;
  errors?: MetaWebhookError[];
}

export function statusUpdate(input: {
  id: string;
  status: StatusName;
  timestamp: string;
  /** Phone number, or `''` when we sent to a BSUID of a user whose number Meta withholds. */
  recipientId: string;
  recipientUserId?: string;
  conversation?: ConversationInfo;
  pricing?: PricingInfo;
  errors?: MetaWebhookError[];
  extra?: Extra;
}): StatusUpdate {
  return {
    id: input.id,
    status: input.status,
    timestamp: input.timestamp,
    recipient_id: input.recipientId,
    ...(input.recipientUserId === undefined ? {} : { recipient_user_id: input.recipientUserId }),
    ...(input.conversation ? { conversation: input.conversation } : {}),
    ...(input.pricing ? { pricing: input.pricing } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
    ...input.extra,
  };
}

// ---- coexistence: edits, revokes, welcome requests; calls ------------------------------------
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/revoke

/** The customer edited an earlier message of theirs (text, or a media message's caption). */
export function editMessage(input: InboundInput & { originalId: string; body: string }): InboundMessage {
  return inbound(input, { type: 'edit', edit: { original_message_id: input.originalId, message: { type: 'text', text: { body: input.body } } } });
}

/** The customer deleted an earlier message of theirs for everyone. */
export function revokeMessage(input: InboundInput & { originalId: string }): InboundMessage {
  return inbound(input, { type: 'revoke', revoke: { original_message_id: input.originalId } });
}

/** The customer opened the chat with the business for the first time. */
export function requestWelcomeMessage(input: InboundInput): InboundMessage {
  return inbound(input, { type: 'request_welcome' });
}

export function callPermissionReplyMessage(input: InboundInput & { reply: CallPermissionReply }): InboundMessage {
  return inbound(input, { type: 'interactive', interactive: { type: 'call_permission_reply', call_permission_reply: input.reply } });
}

/** An echo: what the business sent from the WhatsApp Business app, `from` the business, `to` the customer. */
export type MessageEcho = Omit<InboundBase, 'from' | 'from_user_id'> & { from: string; to: string; to_user_id?: string } & (
    | { type: 'text'; text: { body: string } }
    | { type: 'image'; image: MediaPayload }
    | { type: 'revoke'; revoke: { original_message_id: string } }
  );

export interface MessageEchoesChange {
  value: { messaging_product: 'whatsapp'; metadata: { display_phone_number: string; phone_number_id: string }; message_echoes: MessageEcho[] };
  field: 'smb_message_echoes';
}

// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
export function messageEchoesChange(input: { phoneNumberId: string; displayPhoneNumber: string; echoes: MessageEcho[] }): MessageEchoesChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: input.displayPhoneNumber, phone_number_id: input.phoneNumberId },
      message_echoes: input.echoes,
    },
    field: 'smb_message_echoes',
  };
}

export function textEcho(input: { business: string; to: Sender; id: string; timestamp: string; body: string }): MessageEcho {
  assertIdentified(input.to);
  return {
    from: input.business,
    to: input.to.waId ?? '',
    ...(input.to.userId === undefined ? {} : { to_user_id: input.to.userId }),
    id: input.id,
    timestamp: input.timestamp,
    type: 'text',
    text: { body: input.body },
  };
}

/** The business deleted, in the WhatsApp Business app, a message it had sent from there. */
export function revokeEcho(input: { business: string; to: Sender; id: string; timestamp: string; originalId: string }): MessageEcho {
  assertIdentified(input.to);
  return {
    from: input.business,
    to: input.to.waId ?? '',
    ...(input.to.userId === undefined ? {} : { to_user_id: input.to.userId }),
    id: input.id,
    timestamp: input.timestamp,
    type: 'revoke',
    revoke: { original_message_id: input.originalId },
  };
}

/** A call event: `connect` when it rings, `terminate` with status and duration when it ends. */
export interface CallEntry {
  id: string;
  to: string;
  from: string;
  event: 'connect' | 'terminate';
  timestamp: string;
  direction: 'USER_INITIATED' | 'BUSINESS_INITIATED';
  session?: { sdp_type: 'offer' | 'answer'; sdp: string };
  status?: 'COMPLETED' | 'FAILED';
  start_time?: string;
  end_time?: string;
  duration?: number;
}

/** A business-initiated call's progress: RINGING, ACCEPTED or REJECTED. */
export interface CallStatusEntry {
  id: string;
  timestamp: string;
  type: 'call';
  status: 'RINGING' | 'ACCEPTED' | 'REJECTED';
  recipient_id: string;
}

export interface CallsChange {
  value: {
    messaging_product: 'whatsapp';
    metadata: { display_phone_number: string; phone_number_id: string };
    contacts?: ContactEntry[];
    calls?: CallEntry[];
    statuses?: CallStatusEntry[];
  };
  field: 'calls';
}

// https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/reference
export function callsChange(input: {
  phoneNumberId: string;
  displayPhoneNumber: string;
  contacts?: ContactEntry[];
  calls?: CallEntry[];
  statuses?: CallStatusEntry[];
}): CallsChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: input.displayPhoneNumber, phone_number_id: input.phoneNumberId },
      ...(input.contacts ? { contacts: input.contacts } : {}),
      ...(input.calls ? { calls: input.calls } : {}),
      ...(input.statuses ? { statuses: input.statuses } : {}),
    },
    field: 'calls',
  };
}

// ---- other fields: entry[].time, no metadata -------------------------------------------------

export interface TemplateStatusChange {
  value: {
    event: 'APPROVED' | 'REJECTED' | 'PENDING' | 'PAUSED' | 'DISABLED' | 'FLAGGED' | 'IN_APPEAL' | 'REINSTATED' | 'PENDING_DELETION';
    message_template_id: number;
    message_template_name: string;
    message_template_language: string;
    reason: string | null;
    message_template_category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  };
  field: 'message_template_status_update';
}

export function templateStatusChange(input: {
  event: TemplateStatusChange['value']['event'];
  templateId: number;
  templateName: string;
  language: string;
  reason: string | null;
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  extra?: Extra;
}): TemplateStatusChange {
  return {
    value: {
      event: input.event,
      message_template_id: input.templateId,
      message_template_name: input.templateName,
      message_template_language: input.language,
      reason: input.reason,
      ...(input.category === undefined ? {} : { message_template_category: input.category }),
      ...input.extra,
    },
    field: 'message_template_status_update',
  };
}

type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

export interface TemplateCategoryChange {
  value: {
    message_template_id: number;
    message_template_name: string;
    message_template_language: string;
    previous_category: TemplateCategory;
    new_category: TemplateCategory;
  };
  field: 'template_category_update';
}

/** A completed category change (impending ones name `correct_category` instead of a previous one). */
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/template_category_update
export function templateCategoryChange(input: {
  templateId: number;
  templateName: string;
  language: string;
  previous: TemplateCategory;
  next: TemplateCategory;
}): TemplateCategoryChange {
  return {
    value: {
      message_template_id: input.templateId,
      message_template_name: input.templateName,
      message_template_language: input.language,
      previous_category: input.previous,
      new_category: input.next,
    },
    field: 'template_category_update',
  };
}

type QualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

export interface TemplateQualityChange {
  value: {
    previous_quality_score: QualityScore;
    new_quality_score: QualityScore;
    message_template_id: number;
    message_template_name: string;
    message_template_language: string;
  };
  field: 'message_template_quality_update';
}

// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_quality_update
export function templateQualityChange(input: {
  templateId: number;
  templateName: string;
  language: string;
  previous: QualityScore;
  next: QualityScore;
}): TemplateQualityChange {
  return {
    value: {
      previous_quality_score: input.previous,
      new_quality_score: input.next,
      message_template_id: input.templateId,
      message_template_name: input.templateName,
      message_template_language: input.language,
    },
    field: 'message_template_quality_update',
  };
}

export interface AccountUpdateChange {
  value: {
    event: string;
    restriction_info?: { restriction_type: string; expiration: number }[];
    violation_info?: { violation_type: string };
    ban_info?: { waba_ban_state: string; waba_ban_date: string };
  };
  field: 'account_update';
}

export function accountUpdateChange(input: {
  event: string;
  restrictionInfo?: { restrictionType: string; expiration: number }[];
  violationType?: string;
  extra?: Extra;
}): AccountUpdateChange {
  return {
    value: {
      event: input.event,
      ...(input.restrictionInfo
        ? {
            restriction_info: input.restrictionInfo.map((r) => ({
              restriction_type: r.restrictionType,
              expiration: r.expiration,
            })),
          }
        : {}),
      ...(input.violationType === undefined ? {} : { violation_info: { violation_type: input.violationType } }),
      ...input.extra,
    },
    field: 'account_update',
  };
}

export interface UserPreference {
  wa_id: string;
  detail?: string;
  category: 'marketing_messages';
  value: 'stop' | 'resume';
  /** Meta's own examples give this one as a number of unix seconds. */
  timestamp: number;
}

export interface UserPreferencesChange {
  value: { messaging_product: 'whatsapp'; user_preferences: UserPreference[] };
  field: 'user_preferences';
}

/** A user tapped "Stop"/"Resume" promotions in WhatsApp's UI (typed keywords send nothing). */
export function userPreferencesChange(input: {
  preferences: { waId: string; value: 'stop' | 'resume'; timestamp: number; detail?: string }[];
  extra?: Extra;
}): UserPreferencesChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      user_preferences: input.preferences.map((p) => ({
        wa_id: p.waId,
        ...(p.detail === undefined ? {} : { detail: p.detail }),
        category: 'marketing_messages',
        value: p.value,
        timestamp: p.timestamp,
      })),
      ...input.extra,
    },
    field: 'user_preferences',
  };
}
