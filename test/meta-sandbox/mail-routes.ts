// What the mail catcher caught, on the sandbox's HTTP port: a page for developers (GET /mail, newest
// first), the same as JSON for tests (GET /mail.json, oldest first), and DELETE /mail to start over.
import type { CaughtMail, MailCatcher } from './mail-catcher.ts';
import type { Route } from './router.ts';

export function mailRoutes(catcher: Pick<MailCatcher, 'caught' | 'clearMail'>, smtpUrl: () => string | undefined): Route[] {
  return [
    {
      method: 'GET',
      path: '/mail',
      handle: () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, text: mailPage(catcher.caught(), smtpUrl()) }),
    },
    { method: 'GET', path: '/mail.json', handle: () => ({ status: 200, json: { mail: catcher.caught() } }) },
    {
      method: 'DELETE',
      path: '/mail',
      handle() {
        catcher.clearMail();
        return { status: 200, json: { cleared: true } };
      },
    },
  ];
}

function mailPage(mail: readonly CaughtMail[], smtpUrl: string | undefined): string {
  const rows = [...mail]
    .reverse()
    .map(
      (m) => `<article>
  <h2>${escape(m.subject || '(no subject)')}</h2>
  <dl>
    <dt>Received</dt><dd><time datetime="${m.receivedAt}">${m.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time></dd>
    <dt>From</dt><dd>${escape(m.from)}</dd>
    <dt>To</dt><dd>${escape(m.to || m.envelope.to.join(', '))}</dd>
  </dl>
  <pre>${escape(m.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail caught by the sandbox (${mail.length})</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
  article { border: 1px solid #d2d2d7; border-radius: 8px; padding: 0.75rem 1rem; margin: 1rem 0; }
  h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0 0 0.5rem; }
  dt { color: #6e6e73; }
  dd { margin: 0; }
  pre { white-space: pre-wrap; background: #f5f5f7; padding: 0.75rem; border-radius: 6px; margin: 0; }
  code { background: #f5f5f7; padding: 0 0.25rem; }
</style>
</head>
<body>
<main>
<h1>Mail caught by the sandbox</h1>
<p>Everything sent to <code>${escape(smtpUrl ?? 'the catcher')}</code>, newest first: ${mail.length === 1 ? 'one message' : `${mail.length} messages`}. Reload for new arrivals; <code>curl -X DELETE …/mail</code> clears the list; <a href="/mail.json">/mail.json</a> has the same as JSON.</p>
${mail.length === 0 ? '<p>Nothing has arrived yet.</p>' : rows}
</main>
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
