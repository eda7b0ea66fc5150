// A privacy requester's confirmation on the real path: the api's mailer speaks SMTP (with the login in
// SMTP_URL) to the Meta sandbox's catcher, and what arrives is what a requester would read: from
// MAIL_FROM, to them, saying what was done under a reference, and nothing about the person it concerned.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '@switchboard/db/embedded';
import { createMailer } from '@switchboard/api/notify/mailer';
import { privacyRequestMail, privacyRequestReference } from '@switchboard/api/notify/privacy-mail';
import { waitForMail } from '../support/mail.ts';
import { startSandbox, type RunningSandbox } from '../support/sandbox.ts';

const from = 'Acme Privacy Desk <privacy@acme.test>';
const requester = 'maria.fernandez@example.com';
// The person the request is about, and what they wrote.
const subject = { name: 'Maria Fernández', waId: '34612345678', userId: 'ES.1234567890123456', message: 'please delete everything about my order 4411' };
const requestId = '0f3c2a9e-5b7d-4e21-9c48-d21e6b7a40f5';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: await freePort() });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.clearMail());

describe('the privacy confirmation mail, through SMTP', () => {
  it('arrives from MAIL_FROM, to the requester, with the subject and text of privacyRequestMail, over the login in SMTP_URL', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ url: sandbox.smtpUrl.replace('smtp://', 'smtp://switchboard:s3cret@'), from, log: (...line) => void lines.push(JSON.stringify(line)) });
    const reference = privacyRequestReference(requestId);
    const mail = privacyRequestMail({ kind: 'ERASURE', state: 'COMPLETED', reference, tenantName: 'Acme Coffee' });

    await mailer.send({ to: requester, ...mail });

    const caught = await waitForMail(sandbox.url, (m) => m.subject.includes(reference));
    expect(caught).toMatchObject({
      envelope: { from: 'privacy@acme.test', to: [requester] },
      from: '"Acme Privacy Desk" <privacy@acme.test>',
      to: requester,
      subject: 'Acme Coffee: your privacy request 6B7A40F5 was completed',
      text: mail.text,
      user: 'switchboard',
    });
    expect(caught.text).toContain('Acme Coffee has completed your request for erasure of your personal data.');
    // The log says a mail went, and where: not to whom, nor what it said.
    expect(lines).toEqual([expect.stringMatching(/^\["info","mail sent",\{"server":"127\.0\.0\.1:\d+","ms":\d+,"messageId":"<.+@acme\.test>"\}\]$/)]);
    expect(lines.join()).not.toMatch(/maria|erasure|s3cret/i);
  });

  it('carries nothing of the person the request was about, in any header or the body, for any outcome', async () => {
    const mailer = createMailer({ url: sandbox.smtpUrl, from, log: () => {} });
    const reference = privacyRequestReference(requestId);
    for (const state of ['COMPLETED', 'REJECTED'] as const) {
      await mailer.send({ to: requester, ...privacyRequestMail({ kind: 'ACCESS', state, reference, tenantName: 'Acme Coffee' }) });
    }
    const completed = await waitForMail(sandbox.url, (m) => m.subject.endsWith('was completed'));
    const rejected = await waitForMail(sandbox.url, (m) => m.subject.endsWith('was not carried out'));
    for (const caught of [completed, rejected]) {
      // The requester's address is in the envelope and the To header, where it must be; nowhere else.
      const withoutTo = caught.raw.replace(/^To: .*\r?\n/m, '');
      expect(caught.raw).toMatch(/^To: maria\.fernandez@example\.com\r?$/m);
      for (const piece of [requester, 'maria', 'Fernández', 'Fern=C3=A1ndez', subject.waId, '612 34', subject.userId, subject.message, '4411', requestId]) {
        expect(withoutTo, `${caught.subject}: ${piece}`).not.toContain(piece);
      }
    }
  });
});
