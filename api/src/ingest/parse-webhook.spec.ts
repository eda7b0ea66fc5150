import { describe, expect, it } from 'vitest';
import type { JsonObject } from './meta-types.ts';
import { parseWebhookBody, readChange } from './parse-webhook.ts';

const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

/** The records of one change of the given field, read from a whole body as ingest reads it. */
function read(field: string, value: JsonObject) {
  const parsed = parseWebhookBody(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', time: 1778232600, changes: [{ field, value }] }] }));
  if (!parsed.ok) throw new Error(parsed.reason);
  return readChange(parsed.changes[0]!);
}

const customerMessage = (message: JsonObject) =>
  read('messages', { messaging_product: 'whatsapp', metadata: METADATA, messages: [{ from: '16505551234', id: 'wamid.X', timestamp: '1778232700', ...message }] });

describe('readChange', () => {
  describe('smb_message_echoes', () => {
    it('reads an echo as a message to the customer named by `to`, marked as an echo', () => {
      const records = read('smb_message_echoes', {
        messaging_product: 'whatsapp',
        metadata: METADATA,
        message_echoes: [{ from: '15550783881', to: '16505551234', to_user_id: 'US.1', id: 'wamid.E', timestamp: '1778232700', type: 'text', text: { body: 'On its way' } }],
      });
      expect(records.messages).toEqual([
        expect.objectContaining({ wamid: 'wamid.E', echo: true, fromWaId: '16505551234', fromUserId: 'US.1', type: 'text', text: 'On its way', extra: null, phoneNumberId: METADATA.phone_number_id }),
      ]);
    });

    it('reads a revoke in the WhatsApp Business app as the business\'s revision, not as a message', () => {
      const records = read('smb_message_echoes', {
        metadata: METADATA,
        message_echoes: [{ from: '15550783881', to: '16505551234', id: 'wamid.R', timestamp: '1778232700', type: 'revoke', revoke: { original_message_id: 'wamid.E' } }],
      });
      expect(records.messages).toEqual([]);
      expect(records.revisions).toEqual([{ wamid: 'wamid.R', originalWamid: 'wamid.E', kind: 'revoke', author: 'business_app', text: null, occurredAt: new Date(1778232700_000) }]);
    });

    it('skips an echo that names no customer', () => {
      expect(read('smb_message_echoes', { metadata: METADATA, message_echoes: [{ from: '15550783881', id: 'wamid.E', type: 'text', text: { body: 'x' } }] }).messages).toEqual([]);
    });
  });

  describe('edits and revokes', () => {
    it('reads an edit as a revision of the original, with the new text', () => {
      const records = customerMessage({ type: 'edit', edit: { original_message_id: 'wamid.O', message: { type: 'text', text: { body: 'new' } } } });
      expect(records.messages).toEqual([]);
      expect(records.revisions).toEqual([{ wamid: 'wamid.X', originalWamid: 'wamid.O', kind: 'edit', author: 'customer', text: 'new', occurredAt: new Date(1778232700_000) }]);
    });

    it('takes a media message\'s new caption', () => {
      const records = customerMessage({ type: 'edit', edit: { original_message_id: 'wamid.O', message: { type: 'image', image: { caption: 'box' } } } });
      expect(records.revisions[0]).toMatchObject({ kind: 'edit', text: 'box' });
    });

    it('reads a revoke as a revision without text', () => {
      const records = customerMessage({ type: 'revoke', revoke: { original_message_id: 'wamid.O' } });
      expect(records.revisions).toEqual([{ wamid: 'wamid.X', originalWamid: 'wamid.O', kind: 'revoke', author: 'customer', text: null, occurredAt: new Date(1778232700_000) }]);
    });

    it('keeps an edit that names no original as an unknown message rather than dropping it', () => {
      const records = customerMessage({ type: 'edit', edit: {} });
      expect(records.revisions).toEqual([]);
      expect(records.messages).toEqual([expect.objectContaining({ wamid: 'wamid.X', type: 'unknown' })]);
    });
  });

  describe('conversation events', () => {
    it('reads request_welcome as a welcome request of the customer', () => {
      expect(customerMessage({ type: 'request_welcome' }).events).toEqual([
        { kind: 'welcome_request', eventKey: 'wamid.X', phoneNumberId: METADATA.phone_number_id, waId: '16505551234', userId: null, at: new Date(1778232700_000), details: {} },
      ]);
    });

    it('reads a call-permission answer without personal data', () => {
      const records = customerMessage({
        type: 'interactive',
        interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'reject', is_permanent: true, response_source: 'user_action' } },
      });
      expect(records.messages).toEqual([]);
      expect(records.events).toEqual([
        expect.objectContaining({ kind: 'call_permission', eventKey: 'wamid.X', details: { response: 'reject', permanent: true, responseSource: 'user_action' } }),
      ]);
    });

    it('reads a terminated call with its direction, outcome and duration; the customer is the caller', () => {
      const records = read('calls', {
        metadata: METADATA,
        calls: [{ id: 'wacid.1', from: '16505551234', to: '15550783881', event: 'terminate', direction: 'USER_INITIATED', timestamp: '1778232800', status: 'FAILED', start_time: '1778232790', end_time: '1778232800', duration: 10 }],
      });
      expect(records.events).toEqual([
        {
          kind: 'call', eventKey: 'wacid.1', phoneNumberId: METADATA.phone_number_id, waId: '16505551234', userId: null, at: new Date(1778232800_000),
          details: { direction: 'user_initiated', status: 'failed', durationSeconds: 10, startedAt: '2026-05-08T09:33:10.000Z', endedAt: '2026-05-08T09:33:20.000Z' },
        },
      ]);
    });

    it('reads a business-initiated call\'s status; the customer is the recipient', () => {
      const records = read('calls', { metadata: METADATA, statuses: [{ id: 'wacid.2', type: 'call', status: 'RINGING', timestamp: '1778232800', recipient_id: '16505551234' }] });
      expect(records.events).toEqual([expect.objectContaining({ eventKey: 'wacid.2', waId: '16505551234', details: { direction: 'business_initiated', status: 'ringing' } })]);
    });
  });

  describe('template updates', () => {
    it('reads a completed category change', () => {
      const records = read('template_category_update', { message_template_id: 42, message_template_name: 'n', message_template_language: 'en', previous_category: 'UTILITY', new_category: 'MARKETING' });
      expect(records.templateCategories).toEqual([{ wabaId: 'WABA', templateId: '42', name: 'n', language: 'en', category: 'MARKETING' }]);
    });

    it('ignores an impending category change: it has not happened yet', () => {
      const records = read('template_category_update', { message_template_id: 42, correct_category: 'MARKETING', new_category: 'UTILITY', category_update_timestamp: 1778832600 });
      expect(records.templateCategories).toEqual([]);
    });

    it('reads a quality change, an unknown score as UNKNOWN', () => {
      expect(read('message_template_quality_update', { message_template_id: 42, new_quality_score: 'RED' }).templateQualities).toEqual([
        { wabaId: 'WABA', templateId: '42', name: '', language: '', quality: 'RED' },
      ]);
      expect(read('message_template_quality_update', { message_template_id: 42, new_quality_score: 'PURPLE' }).templateQualities[0]?.quality).toBe('UNKNOWN');
    });
  });
});
