import { describe, expect, it } from 'vitest';
import { privacyRequestMail, privacyRequestReference, type PrivacyMailKind } from './privacy-mail.ts';

const kinds: PrivacyMailKind[] = ['ACCESS', 'PORTABILITY', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'CONSENT_WITHDRAWAL'];
const requestId = '0f3c2a9e-5b7d-4e21-9c48-d21e6b7a40f5';

// Who the request is about, and what they wrote: none of it may reach a mail.
const subject = {
  name: 'Maria Fernández',
  waId: '34612345678',
  formatted: '+34 612 34 56 78',
  userId: 'ES.1234567890123456',
  email: 'maria.fernandez@example.com',
  message: 'please delete everything about my order 4411',
};

describe('privacyRequestMail', () => {
  describe('what it says', () => {
    it('names the business, the request in plain words, how it ended and the reference', () => {
      const mail = privacyRequestMail({ kind: 'ERASURE', state: 'COMPLETED', reference: privacyRequestReference(requestId), tenantName: 'Acme Coffee' });
      expect(mail.subject).toBe('Acme Coffee: your privacy request 6B7A40F5 was completed');
      expect(mail.text).toContain('Acme Coffee has completed your request for erasure of your personal data.');
      expect(mail.text).toContain('Your reference: 6B7A40F5');
      expect(mail.text).toContain('reply to this email quoting the reference, or write to Acme Coffee');
    });

    it('says a rejected request was not carried out, and whom to ask why, without the reason', () => {
      const mail = privacyRequestMail({ kind: 'ACCESS', state: 'REJECTED', reference: '6B7A40F5', tenantName: 'Acme Coffee' });
      expect(mail.subject).toBe('Acme Coffee: your privacy request 6B7A40F5 was not carried out');
      expect(mail.text).toContain('Acme Coffee could not carry out your request for access to the personal data it holds about you. For the reason, or to ask again, contact Acme Coffee.');
      expect(mail.text).not.toContain('completed');
    });

    it('words every kind differently; for a copy of the data, says it comes through a secure channel, not by mail', () => {
      const texts = kinds.map((kind) => privacyRequestMail({ kind, state: 'COMPLETED', reference: 'R', tenantName: 'Acme' }).text);
      expect(new Set(texts).size).toBe(kinds.length);
      for (const kind of ['ACCESS', 'PORTABILITY'] as const) {
        expect(privacyRequestMail({ kind, state: 'COMPLETED', reference: 'R', tenantName: 'Acme' }).text).toContain('through a secure channel; it is never attached to an email');
      }
    });

    it('keeps a tenant name with line breaks on one line of the subject', () => {
      const mail = privacyRequestMail({ kind: 'OBJECTION', state: 'COMPLETED', reference: 'R', tenantName: 'Acme\r\nBcc: x@example.com' });
      expect(mail.subject).toBe('Acme Bcc: x@example.com: your privacy request R was completed');
    });
  });

  describe('personal data', () => {
    it('carries none of the subject’s name, number, business-scoped id, email or message, for any kind or outcome', () => {
      const reference = privacyRequestReference(requestId);
      const forbidden = [subject.name, 'Fernández', 'Maria', subject.waId, subject.formatted, '612', '5678', subject.userId, '1234567890', subject.email, 'maria.fernandez', subject.message, '4411', requestId];
      for (const kind of kinds) {
        for (const state of ['COMPLETED', 'REJECTED'] as const) {
          const { subject: line, text } = privacyRequestMail({ kind, state, reference, tenantName: 'Acme Coffee' });
          for (const piece of forbidden) expect(`${line}\n${text}`, `${kind} ${state}`).not.toContain(piece);
        }
      }
    });
  });
});

describe('privacyRequestReference', () => {
  it('is the last 8 letters and digits of the id, upper case, and not the id', () => {
    expect(privacyRequestReference(requestId)).toBe('6B7A40F5');
    expect(privacyRequestReference('UHJpdmFjeVJlcXVlc3Q6MTIz')).toBe('C3Q6MTIZ');
  });
});
