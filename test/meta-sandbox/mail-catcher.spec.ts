// The sandbox's mail catcher as a developer and a test use it: mail sent to its SMTP port (by the api's
// own mailer) is listed at /mail and /mail.json, and DELETE /mail clears the list.
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from '@switchboard/api/notify/mailer';
import { createMailCatcher, type MailCatcher } from './mail-catcher.ts';
import { buildSandbox, type Sandbox } from './server.ts';

const tenant = { appSecret: 'mail-spec-secret', wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };

let sandbox: Sandbox | undefined;
let catcher: MailCatcher | undefined;
afterEach(async () => {
  await sandbox?.stop();
  await catcher?.stop();
  sandbox = catcher = undefined;
});

async function startSandbox(): Promise<{ url: string; smtpUrl: string }> {
  sandbox = buildSandbox({ ...tenant, host: '127.0.0.1', port: 0, edgeUrl: 'http://127.0.0.1:9', ratePerMinute: 0, statusWebhooks: 'off', log: () => {} });
  const started = await sandbox.start();
  return { url: started.url.replace('localhost', '127.0.0.1'), smtpUrl: started.smtpUrl };
}

const mailerTo = (smtpUrl: string) => createMailer({ url: smtpUrl, from: 'Switchboard <privacy@switchboard.invalid>', log: () => {} });
const listed = async (url: string) => ((await (await fetch(`${url}/mail.json`)).json()) as { mail: Record<string, unknown>[] }).mail;

describe('the mail catcher', () => {
  it('takes mail on a free port when given 0, and lists it at /mail.json oldest first, with envelope, headers and login', async () => {
    const { url, smtpUrl } = await startSandbox();
    expect(smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect(await listed(url)).toEqual([]);

    const withLogin = smtpUrl.replace('smtp://', 'smtp://mailer:s3cret@');
    await mailerTo(withLogin).send({ to: 'first@example.com', subject: 'First', text: 'one\ntwo' });
    await mailerTo(smtpUrl).send({ to: '"Second Person" <second@example.com>', subject: 'Second', text: 'three' });

    const mail = await listed(url);
    expect(mail).toMatchObject([
      { id: 1, envelope: { from: 'privacy@switchboard.invalid', to: ['first@example.com'] }, from: '"Switchboard" <privacy@switchboard.invalid>', to: 'first@example.com', subject: 'First', text: 'one\ntwo\n', user: 'mailer' },
      { id: 2, envelope: { to: ['second@example.com'] }, to: '"Second Person" <second@example.com>', subject: 'Second', text: 'three\n', user: null },
    ]);
    expect(mail[0]!.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(mail[0]!.raw).toMatch(/^Subject: First\r?$/m);
    expect(sandbox!.caughtMail().map((m) => m.subject)).toEqual(['First', 'Second']);
  });

  it('shows a page at /mail, newest first, with markup in a mail shown as text', async () => {
    const { url, smtpUrl } = await startSandbox();
    const empty = await fetch(`${url}/mail`);
    expect([empty.status, empty.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await empty.text()).toContain('Nothing has arrived yet.');

    await mailerTo(smtpUrl).send({ to: 'older@example.com', subject: 'Older', text: 'first' });
    await mailerTo(smtpUrl).send({ to: 'newer@example.com', subject: 'Newer <script>alert(1)</script>', text: 'a <b>bold</b> & claim' });
    const page = await (await fetch(`${url}/mail`)).text();
    expect(page).toContain('<title>Mail caught by the sandbox (2)</title>');
    expect(page).toContain(`Everything sent to <code>${smtpUrl}</code>`);
    expect(page).toContain('<h2>Newer &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(page).toContain('<pre>a &lt;b&gt;bold&lt;/b&gt; &amp; claim\n</pre>');
    expect(page).not.toContain('<script>');
    expect(page).toMatch(/<dt>To<\/dt><dd>newer@example\.com<\/dd>[\s\S]*<dt>To<\/dt><dd>older@example\.com<\/dd>/);
  });

  it('forgets everything on DELETE /mail', async () => {
    const { url, smtpUrl } = await startSandbox();
    await mailerTo(smtpUrl).send({ to: 'someone@example.com', subject: 'Hello', text: 'hi' });
    expect(await listed(url)).toHaveLength(1);
    const cleared = await fetch(`${url}/mail`, { method: 'DELETE' });
    expect([cleared.status, await cleared.json()]).toEqual([200, { cleared: true }]);
    expect(await listed(url)).toEqual([]);
  });

  it('keeps only the newest arrivals beyond its limit', async () => {
    catcher = createMailCatcher({ port: 0, host: '127.0.0.1', keep: 2 });
    const { smtpUrl } = await catcher.start();
    for (const subject of ['a', 'b', 'c']) await mailerTo(smtpUrl).send({ to: 'someone@example.com', subject, text: subject });
    expect(catcher.caught().map((m) => [m.id, m.subject])).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
  });
});
