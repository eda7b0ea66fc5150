import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from './logger.ts';

/** A logger whose lines are kept, parsed. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const { log } = createLogger({ destination, base: { instance: 'spec' } });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the api log', () => {
  describe('writes JSON lines', () => {
    it('with level, time, message and fields', () => {
      const { log, parsed } = capture();
      log('warn', 'send will be retried', { status: 503, attempt: 2, mediaId: '4b7c1e2a-9d3f-4a56-8b21-446655440000' });
      expect(parsed()).toEqual([
        { level: 'warn', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), instance: 'spec', message: 'send will be retried', status: 503, attempt: 2, mediaId: '4b7c1e2a-9d3f-4a56-8b21-446655440000' },
      ]);
    });
  });

  describe('censors fields that carry personal data, at any depth and in any spelling', () => {
    it('message text, names, numbers, business-scoped ids, emails and secrets', () => {
      const { log, lines, parsed } = capture();
      log('info', 'a careless line', {
        text: 'Mi pedido no ha llegado',
        displayName: 'Lucía Fernández',
        wa_id: '34612345678',
        userId: 'US.55512345678901234567',
        email: 'lucia@example.com',
        password: 'lucia-1987-madrid',
        count: 3,
        contact: { profile: { name: 'Lucía' }, waId: '34612345678' },
        deeper: { a: { b: { c: { caption: 'Mi foto' } } } },
        messages: [{ from: '34612345678', text: { body: 'hola' } }],
        input: { otp: '492817', recovery_codes: ['abcd-efgh-ijkl-mnop'], otpauthUri: 'otpauth://totp/Switchboard:x?secret=JBSWY3DPEHPK3PXP' },
      });
      for (const secret of ['Mi pedido', 'Lucía', '34612345678', 'US.555', 'lucia@example.com', 'lucia-1987', 'Mi foto', 'hola', '492817', 'abcd-efgh', 'JBSWY3DP']) {
        expect(lines.join('\n')).not.toContain(secret);
      }
      expect(parsed()[0]).toMatchObject({ text: '[redacted]', displayName: '[redacted]', wa_id: '[redacted]', count: 3, contact: { profile: '[redacted]', waId: '[redacted]' } });
    });
  });

  describe('masks phone numbers and emails in every other string', () => {
    it('in the message, in fields and in errors, leaving ids and counts alone', () => {
      const { log, lines, parsed } = capture();
      const error = Object.assign(new Error('duplicate key: Key (wa_id)=(972541234567) already exists; mailed noah@example.co.il'), { code: '23505' });
      log('error', 'could not reach +34 612 345 678 or oliver.twist@example.co.uk', { reason: 'sent to 447700900123', error, ids: ['1a2b3c4d-0000-4000-8000-446655440000'] });
      const text = lines.join('\n');
      for (const secret of ['612 345 678', 'oliver.twist', '447700900123', '972541234567', 'noah@example']) expect(text).not.toContain(secret);
      expect(parsed()[0]).toMatchObject({
        message: 'could not reach [phone] or [email]',
        reason: 'sent to [phone]',
        error: { type: 'Error', code: '23505', detail: 'duplicate key: Key (wa_id)=([phone]) already exists; mailed [email]' },
        ids: ['1a2b3c4d-0000-4000-8000-446655440000'],
      });
    });

    it('phone numbers as people write them', () => {
      expect(['+1 (650) 555-0123', '+44 7700 900123', '34612345678', '972-54-123-4567'].map(scrubText)).toEqual(['[phone]', '[phone]', '[phone]', '[phone]']);
      expect(['order 48213', 'HTTP 503', 'wamid.HBgLMzQ2MTIzNDU2NzgVAgARGBI', 'api-12345'].map(scrubText)).toEqual(['order 48213', 'HTTP 503', 'wamid.HBgLMzQ2MTIzNDU2NzgVAgARGBI', 'api-12345']);
    });
  });
});
