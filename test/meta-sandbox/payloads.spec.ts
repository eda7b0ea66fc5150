import { describe, expect, it } from 'vitest';
import { webhookError } from './meta-errors.ts';
import {
  accountUpdateChange,
  audioMessage,
  batchEnvelope,
  buttonReplyMessage,
  contactEntry,
  contactsMessage,
  documentMessage,
  forwardedContext,
  imageMessage,
  listReplyMessage,
  locationMessage,
  messagesChange,
  orderMessage,
  reactionMessage,
  replyContext,
  statusUpdate,
  stickerMessage,
  systemMessage,
  templateButtonMessage,
  templateStatusChange,
  textMessage,
  unsupportedMessage,
  userPreferencesChange,
  videoMessage,
  webhookEntry,
  webhookEnvelope,
  type Sender,
} from './payloads.ts';

const sheena: Sender = { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' };
const base = { from: sheena, id: 'wamid.IN1', timestamp: '1778232600' };
const sender = { from: '16505551234', from_user_id: 'US.13491208655302741918', id: 'wamid.IN1', timestamp: '1778232600' };
const media = { mediaId: '1146983529903517', mimeType: 'image/jpeg', sha256: 'q83vEjRWeJA=' };

describe('payloads', () => {
  describe('envelope', () => {
    it('wraps changes in object/entry with the WABA id', () => {
      expect(webhookEnvelope({ wabaId: '102290129340398', changes: [] })).toEqual({
        object: 'whatsapp_business_account',
        entry: [{ id: '102290129340398', changes: [] }],
      });
    });

    it('adds entry time only when given (non-messages fields)', () => {
      expect(webhookEntry({ wabaId: 'W', time: 1778232700, changes: [] })).toEqual({ id: 'W', time: 1778232700, changes: [] });
      expect(Object.keys(webhookEntry({ wabaId: 'W', changes: [] }))).toEqual(['id', 'changes']);
    });

    it('batches several entries into one body', () => {
      const entries = [webhookEntry({ wabaId: 'W', changes: [] }), webhookEntry({ wabaId: 'W', changes: [] })];
      expect(batchEnvelope(entries)).toEqual({ object: 'whatsapp_business_account', entry: entries });
    });
  });

  describe('messagesChange', () => {
    it('carries metadata and only the arrays given, in Meta key order', () => {
      const change = messagesChange({ phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881', messages: [] });
      expect(change).toEqual({
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
          messages: [],
        },
        field: 'messages',
      });
      expect(Object.keys(change)).toEqual(['value', 'field']);
    });

    it('puts value-level errors beside metadata and keeps extra fields', () => {
      const change = messagesChange({ phoneNumberId: 'P', displayPhoneNumber: 'D', errors: [webhookError(131000)], extra: { future: 1 } });
      expect(change.value).toEqual({
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: 'D', phone_number_id: 'P' },
        errors: [
          {
            code: 131000,
            title: 'Something went wrong',
            message: 'Something went wrong',
            error_data: { details: 'Message failed to send due to an unknown error.' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ],
        future: 1,
      });
    });
  });

  describe('contactEntry', () => {
    it('gives profile, wa_id and user_id', () => {
      expect(contactEntry(sheena)).toEqual({ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234', user_id: 'US.13491208655302741918' });
    });

    it('omits wa_id for BSUID-only users and carries username and country code', () => {
      const entry = contactEntry({ name: 'Pablo M.', userId: 'US.937', username: '@pablomorales', countryCode: 'US' });
      expect(entry).toEqual({ profile: { name: 'Pablo M.', username: '@pablomorales', country_code: 'US' }, user_id: 'US.937' });
      expect('wa_id' in entry).toBe(false);
    });

    it('carries parent_user_id', () => {
      expect(contactEntry({ name: 'P', waId: '91', userId: 'IN.1', parentUserId: 'US.ENT.9' })).toEqual({
        profile: { name: 'P' },
        wa_id: '91',
        user_id: 'IN.1',
        parent_user_id: 'US.ENT.9',
      });
    });

    it('refuses a sender with neither wa_id nor user_id', () => {
      expect(() => contactEntry({ name: 'Nobody' })).toThrow(TypeError);
    });
  });

  describe('inbound messages', () => {
    it('text', () => {
      expect(textMessage({ ...base, body: 'Hi' })).toEqual({ ...sender, type: 'text', text: { body: 'Hi' } });
    });

    it('text from a BSUID-only user has from_user_id and no from', () => {
      const message = textMessage({ ...base, from: { name: 'Pablo', userId: 'US.937' }, body: 'Hola' });
      expect(message).toEqual({ from_user_id: 'US.937', id: 'wamid.IN1', timestamp: '1778232600', type: 'text', text: { body: 'Hola' } });
      expect('from' in message).toBe(false);
    });

    it('text from a wa_id-only user has from and no from_user_id', () => {
      const message = textMessage({ ...base, from: { name: 'Jordan', waId: '16505550199' }, body: 'x' });
      expect(message).toEqual({ from: '16505550199', id: 'wamid.IN1', timestamp: '1778232600', type: 'text', text: { body: 'x' } });
    });

    it('reply puts context {from, id} first', () => {
      const message = textMessage({ ...base, context: replyContext({ from: '15550783881', id: 'wamid.OUT1' }), body: 'ok' });
      expect(message).toEqual({ context: { from: '15550783881', id: 'wamid.OUT1' }, ...sender, type: 'text', text: { body: 'ok' } });
      expect(Object.keys(message)[0]).toBe('context');
    });

    it('forwarded and frequently forwarded contexts', () => {
      expect(forwardedContext()).toEqual({ forwarded: true });
      expect(forwardedContext({ frequently: true })).toEqual({ forwarded: true, frequently_forwarded: true });
    });

    it('image with caption and url', () => {
      expect(imageMessage({ ...base, ...media, caption: 'box', url: 'https://lookaside.fbsbx.com/x' })).toEqual({
        ...sender,
        type: 'image',
        image: { caption: 'box', mime_type: 'image/jpeg', sha256: 'q83vEjRWeJA=', id: '1146983529903517', url: 'https://lookaside.fbsbx.com/x' },
      });
    });

    it('video without caption', () => {
      expect(videoMessage({ ...base, ...media, mimeType: 'video/mp4' })).toEqual({
        ...sender,
        type: 'video',
        video: { mime_type: 'video/mp4', sha256: 'q83vEjRWeJA=', id: '1146983529903517' },
      });
    });

    it('audio, with voice true for voice notes and false otherwise', () => {
      expect(audioMessage({ ...base, ...media, mimeType: 'audio/ogg; codecs=opus', voice: true })).toEqual({
        ...sender,
        type: 'audio',
        audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'q83vEjRWeJA=', id: '1146983529903517', voice: true },
      });
      expect(audioMessage({ ...base, ...media, mimeType: 'audio/mpeg' })).toMatchObject({ audio: { voice: false } });
    });

    it('document with filename', () => {
      expect(documentMessage({ ...base, ...media, mimeType: 'application/pdf', filename: 'receipt.pdf', caption: 'r' })).toEqual({
        ...sender,
        type: 'document',
        document: { caption: 'r', filename: 'receipt.pdf', mime_type: 'application/pdf', sha256: 'q83vEjRWeJA=', id: '1146983529903517' },
      });
    });

    it('animated sticker', () => {
      expect(stickerMessage({ ...base, ...media, mimeType: 'image/webp', animated: true })).toEqual({
        ...sender,
        type: 'sticker',
        sticker: { mime_type: 'image/webp', sha256: 'q83vEjRWeJA=', id: '1146983529903517', animated: true },
      });
    });

    it('location with name, address and url; without them when absent', () => {
      expect(locationMessage({ ...base, latitude: 37.45, longitude: -122.18, name: 'Home', address: '1 Hacker Way', url: 'https://maps.google.com/?cid=1' })).toEqual({
        ...sender,
        type: 'location',
        location: { latitude: 37.45, longitude: -122.18, name: 'Home', address: '1 Hacker Way', url: 'https://maps.google.com/?cid=1' },
      });
      expect(locationMessage({ ...base, latitude: 1, longitude: 2 })).toEqual({ ...sender, type: 'location', location: { latitude: 1, longitude: 2 } });
    });

    it('contacts', () => {
      const cards = [{ name: { formatted_name: 'Dana Nelson' }, phones: [{ phone: '+1 650 555 0142', wa_id: '16505550142', type: 'CELL' }] }];
      expect(contactsMessage({ ...base, cards })).toEqual({ ...sender, type: 'contacts', contacts: cards });
    });

    it('interactive button_reply and list_reply', () => {
      expect(buttonReplyMessage({ ...base, replyId: 'track_order', title: 'Track my order' })).toEqual({
        ...sender,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'track_order', title: 'Track my order' } },
      });
      expect(listReplyMessage({ ...base, replyId: 'topic_refunds', title: 'Refunds', description: 'Start a return' })).toEqual({
        ...sender,
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: 'topic_refunds', title: 'Refunds', description: 'Start a return' } },
      });
    });

    it('template quick-reply button', () => {
      expect(templateButtonMessage({ ...base, payload: 'YES', text: 'Yes' })).toEqual({ ...sender, type: 'button', button: { payload: 'YES', text: 'Yes' } });
    });

    it('reaction, and its removal with an empty or absent emoji', () => {
      expect(reactionMessage({ ...base, messageId: 'wamid.OUT1', emoji: '😮' })).toEqual({
        ...sender,
        type: 'reaction',
        reaction: { message_id: 'wamid.OUT1', emoji: '😮' },
      });
      expect(reactionMessage({ ...base, messageId: 'wamid.OUT1', emoji: '' })).toMatchObject({ reaction: { message_id: 'wamid.OUT1', emoji: '' } });
      const removed = reactionMessage({ ...base, messageId: 'wamid.OUT1' });
      expect(removed).toEqual({ ...sender, type: 'reaction', reaction: { message_id: 'wamid.OUT1' } });
    });

    it('order', () => {
      const order = { catalog_id: '194836987003835', text: 'Love these!', product_items: [{ product_retailer_id: 'a', quantity: 2, item_price: 14.5, currency: 'USD' }] };
      expect(orderMessage({ ...base, order })).toEqual({ ...sender, type: 'order', order });
    });

    it('system', () => {
      const system = { body: 'User changed number', wa_id: '16505550177', type: 'user_changed_number' as const };
      expect(systemMessage({ ...base, system })).toEqual({ ...sender, type: 'system', system });
    });

    it('unsupported with errors[] 131051', () => {
      expect(unsupportedMessage({ ...base, errors: [webhookError(131051, { withHref: false })], unsupportedType: 'poll' })).toEqual({
        ...sender,
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
        type: 'unsupported',
        unsupported: { type: 'poll' },
      });
    });

    it('keeps unknown extra fields', () => {
      expect(textMessage({ ...base, body: 'x', extra: { referral: { source_type: 'ad' } } })).toMatchObject({ referral: { source_type: 'ad' } });
    });
  });

  describe('statusUpdate', () => {
    it('sent with conversation and pricing', () => {
      const conversation = { id: 'c1', expiration_timestamp: '1778319000', origin: { type: 'utility' as const } };
      const pricing = { billable: true, pricing_model: 'PMP' as const, type: 'regular' as const, category: 'utility' as const };
      const status = statusUpdate({ id: 'wamid.OUT1', status: 'sent', timestamp: '1778232900', recipientId: '16505551234', conversation, pricing });
      expect(status).toEqual({ id: 'wamid.OUT1', status: 'sent', timestamp: '1778232900', recipient_id: '16505551234', conversation, pricing });
      expect(Object.keys(status)).toEqual(['id', 'status', 'timestamp', 'recipient_id', 'conversation', 'pricing']);
    });

    it('delivered, read and played carry only what is given', () => {
      for (const name of ['delivered', 'read', 'played'] as const) {
        expect(statusUpdate({ id: 'w', status: name, timestamp: '1', recipientId: '1650' })).toEqual({ id: 'w', status: name, timestamp: '1', recipient_id: '1650' });
      }
    });

    it('failed with errors[{code,title,message,error_data,href}]', () => {
      expect(statusUpdate({ id: 'w', status: 'failed', timestamp: '1', recipientId: '1650', errors: [webhookError(131047)] })).toEqual({
        id: 'w',
        status: 'failed',
        timestamp: '1',
        recipient_id: '1650',
        errors: [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ],
      });
    });

    it('recipient_user_id for messages sent to a BSUID', () => {
      expect(statusUpdate({ id: 'w', status: 'delivered', timestamp: '1', recipientId: '', recipientUserId: 'US.937' })).toEqual({
        id: 'w',
        status: 'delivered',
        timestamp: '1',
        recipient_id: '',
        recipient_user_id: 'US.937',
      });
    });
  });

  describe('other fields', () => {
    it('message_template_status_update', () => {
      expect(templateStatusChange({ event: 'REJECTED', templateId: 594425479261597, templateName: 'spring_promo', language: 'es', reason: 'INVALID_FORMAT', category: 'MARKETING' })).toEqual({
        value: {
          event: 'REJECTED',
          message_template_id: 594425479261597,
          message_template_name: 'spring_promo',
          message_template_language: 'es',
          reason: 'INVALID_FORMAT',
          message_template_category: 'MARKETING',
        },
        field: 'message_template_status_update',
      });
    });

    it('account_update with restriction_info', () => {
      expect(accountUpdateChange({ event: 'ACCOUNT_RESTRICTION', restrictionInfo: [{ restrictionType: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1778837400 }] })).toEqual({
        value: { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1778837400 }] },
        field: 'account_update',
      });
    });

    it('user_preferences stop and resume', () => {
      expect(userPreferencesChange({ preferences: [{ waId: '16505551234', value: 'stop', timestamp: 1778233329 }, { waId: '16505551234', value: 'resume', timestamp: 1778233339, detail: 'resumed' }] })).toEqual({
        value: {
          messaging_product: 'whatsapp',
          user_preferences: [
            { wa_id: '16505551234', category: 'marketing_messages', value: 'stop', timestamp: 1778233329 },
            { wa_id: '16505551234', detail: 'resumed', category: 'marketing_messages', value: 'resume', timestamp: 1778233339 },
          ],
        },
        field: 'user_preferences',
      });
    });

    it('carry no metadata', () => {
      const changes = [
        templateStatusChange({ event: 'APPROVED', templateId: 1, templateName: 't', language: 'en_US', reason: 'NONE' }),
        accountUpdateChange({ event: 'ACCOUNT_DELETED' }),
        userPreferencesChange({ preferences: [] }),
      ];
      for (const change of changes) expect('metadata' in change.value).toBe(false);
    });
  });
});
