import { describe, expect, it } from 'vitest';
import { parseMessage, parseTimestamp } from './parse-message.ts';

describe('parseMessage', () => {
  describe('identity and time', () => {
    it('reads the sender by phone and by BSUID, and the Meta timestamp', () => {
      const m = parseMessage({ id: 'wamid.1', from: '16505551234', from_user_id: 'US.1', timestamp: '1749416383', type: 'text', text: { body: 'Hi' } })!;
      expect([m.wamid, m.fromWaId, m.fromUserId, m.sentAt.toISOString()]).toEqual(['wamid.1', '16505551234', 'US.1', '2025-06-08T20:59:43.000Z']);
    });

    it('drops a message without a wamid rather than inventing one', () => {
      expect(parseMessage({ from: '1', type: 'text', text: { body: 'x' } })).toBeNull();
    });

    it('falls back to the receive time when the timestamp is missing or broken', () => {
      const before = Date.now();
      expect(parseTimestamp('soon').getTime()).toBeGreaterThanOrEqual(before);
      expect(parseTimestamp(undefined).getTime()).toBeGreaterThanOrEqual(before);
    });
  });

  describe('types', () => {
    it('keeps an unknown type as unknown with its payload and declared type', () => {
      const m = parseMessage({ id: 'w', from: '1', type: 'poll_v9', poll_v9: { question: 'Q?' } })!;
      expect(m.type).toBe('unknown');
      expect(m.content).toEqual({ question: 'Q?' });
      expect(m.extra).toEqual({ type: 'poll_v9' });
    });

    it('marks a reaction with an empty or missing emoji as removed', () => {
      expect(parseMessage({ id: 'w', from: '1', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '' } })!.content).toEqual({
        reactedToWamid: 'wamid.x',
        emoji: null,
        removed: true,
      });
      expect(parseMessage({ id: 'w', from: '1', type: 'reaction', reaction: { message_id: 'wamid.x' } })!.content.removed).toBe(true);
    });

    it('reads voice notes, animated stickers and document names', () => {
      expect(parseMessage({ id: 'w', from: '1', type: 'audio', audio: { id: 'm', mime_type: 'audio/ogg', voice: true } })!.content).toEqual({ mediaId: 'm', mimeType: 'audio/ogg', voice: true });
      expect(parseMessage({ id: 'w', from: '1', type: 'sticker', sticker: { id: 's', animated: true } })!.content.animated).toBe(true);
      const doc = parseMessage({ id: 'w', from: '1', type: 'document', document: { id: 'd', filename: 'invoice.pdf', caption: 'March' } })!;
      expect([doc.content.filename, doc.text]).toEqual(['invoice.pdf', 'March']);
    });

    it('reads list replies with their description', () => {
      const m = parseMessage({ id: 'w', from: '1', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Track', description: 'Where is it' } } })!;
      expect(m.content).toEqual({ kind: 'list_reply', replyId: 'r1', title: 'Track', description: 'Where is it' });
    });
  });

  describe('context and unknown fields', () => {
    it('reads replies and forwards', () => {
      expect(parseMessage({ id: 'w', from: '1', type: 'text', text: { body: 'x' }, context: { from: '155', id: 'wamid.q' } })!.context).toEqual({
        from: '155',
        repliedToWamid: 'wamid.q',
        forwarded: false,
        frequentlyForwarded: false,
      });
      expect(parseMessage({ id: 'w', from: '1', type: 'text', text: { body: 'x' }, context: { forwarded: true, frequently_forwarded: true } })!.context).toMatchObject({
        forwarded: true,
        frequentlyForwarded: true,
      });
    });

    it('keeps fields it does not model in extra', () => {
      const m = parseMessage({ id: 'w', from: '1', type: 'text', text: { body: 'x' }, referral: { source_type: 'ad' }, identity_key_hash: 'abc' })!;
      expect(m.extra).toEqual({ referral: { source_type: 'ad' }, identity_key_hash: 'abc' });
    });
  });
});
