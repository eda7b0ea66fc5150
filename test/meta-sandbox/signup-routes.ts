// Embedded Signup's browser half, standing in for Facebook's JavaScript SDK and its popup in dev and
// tests. The dashboard loads `GET /sdk.js` where production loads connect.facebook.net's SDK and calls
// it the same way: `FB.init({ appId, version })`, then `FB.login(callback, { config_id, response_type:
// 'code', override_default_response_type: true, extras: { sessionInfoVersion: '3' } })`. That opens
// `GET /embedded-signup`, where the business "creates" its WABA and number; finishing posts the
// session info to the opener as Meta does (a JSON string with type WA_EMBEDDED_SIGNUP, event FINISH and
// data { phone_number_id, waba_id, business_id }, or event CANCEL with current_step) and hands the
// callback `{ authResponse: { code } }`, a code that lives 30 seconds and works once at
// /oauth/access_token, like Meta's.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation
import type { SignupCodeInput } from './oauth.ts';
import type { Route } from './router.ts';

export interface SignupRoutesOptions {
  appId: string;
  issueSignupCode(input: SignupCodeInput): { code: string; expiresAt: number };
  /** Draws the new ids the popup offers. */
  random: () => number;
}

const html = (text: string) => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, text });

export function signupRoutes({ appId, issueSignupCode, random }: SignupRoutesOptions): Route[] {
  /** Ids as Meta's look: 15 digits, not starting with 0. */
  const graphId = () => String(100_000_000_000_000 + Math.floor(random() * 899_999_999_999_999));
  return [
    {
      method: 'GET',
      path: '/sdk.js',
      // Loaded cross-origin with crossorigin="anonymous", as Meta's snippet loads connect.facebook.net's.
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*' },
        text: SDK,
      }),
    },
    {
      method: 'GET',
      path: '/embedded-signup',
      handle({ url }) {
        const origin = url.searchParams.get('origin') ?? '';
        const problem =
          url.searchParams.get('app_id') !== appId ? 'This app id is not the sandbox app: check PUBLIC_META_APP_ID.'
          : !url.searchParams.get('config_id') ? 'FB.login was called without a config_id: check PUBLIC_META_SIGNUP_CONFIG_ID.'
          : !/^https?:\/\/[^/]+$/.test(origin) ? 'The opener did not say its origin.'
          : null;
        return html(page(problem, origin, graphId));
      },
    },
    {
      method: 'POST',
      path: '/embedded-signup/finish',
      handle({ body }) {
        const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
        const ids = [input.wabaId, input.phoneNumberId, input.businessId];
        if (!ids.every((id) => typeof id === 'string' && /^\d{1,20}$/.test(id))) {
          return { status: 400, json: { error: { message: 'wabaId, phoneNumberId and businessId are digits' } } };
        }
        const [wabaId, phoneNumberId, businessId] = ids as string[];
        return { status: 201, json: issueSignupCode({ wabaId: wabaId!, businessId: businessId!, phoneNumberIds: [phoneNumberId!] }) };
      },
    },
  ];
}

// The stand-in SDK: FB.init and FB.login, and fbAsyncInit called once loaded, as the real one does.
const SDK = `(() => {
  const origin = new URL(document.currentScript.src).origin;
  let app = null;
  let pending = null;
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || typeof event.data !== 'string') return;
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    if (data.type !== 'SANDBOX_FB_LOGIN' || !pending) return;
    const callback = pending;
    pending = null;
    callback(data.code ? { status: 'connected', authResponse: { code: data.code } } : { status: 'unknown', authResponse: null });
  });
  window.FB = {
    init(options) { app = options; },
    login(callback, options) {
      if (!app) throw new Error('Call FB.init before FB.login.');
      pending = callback;
      const url = new URL('/embedded-signup', origin);
      url.searchParams.set('app_id', String(app.appId ?? ''));
      url.searchParams.set('config_id', String((options && options.config_id) ?? ''));
      url.searchParams.set('origin', location.origin);
      window.open(url.href, 'embedded-signup', 'popup,width=560,height=640');
    },
  };
  if (typeof window.fbAsyncInit === 'function') window.fbAsyncInit();
})();
`;

function page(problem: string | null, origin: string, graphId: () => string): string {
  const form = problem
    ? `<p role="alert" id="problem">${escape(problem)}</p>`
    : `<p>Stands in for Facebook's Embedded Signup: what the business would choose there, with new ids. Finishing gives the dashboard a code that works for 30 seconds.</p>
<form id="signup">
  <label for="business">Business portfolio id</label><input id="business" name="business" value="${graphId()}" inputmode="numeric" required>
  <label for="waba">WhatsApp Business Account id</label><input id="waba" name="waba" value="${graphId()}" inputmode="numeric" required>
  <label for="number">Phone number id</label><input id="number" name="number" value="${graphId()}" inputmode="numeric" required>
  <div class="actions"><button type="submit" id="finish">Finish</button><button type="button" id="cancel">Cancel</button></div>
  <p role="status" id="status"></p>
</form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Embedded Signup (Meta sandbox)</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 32rem; margin: 1.5rem auto; padding: 0 1rem; color: #1d1d1f; }
  form { display: grid; gap: 0.4rem; }
  input { font: inherit; padding: 0.4rem; }
  .actions { display: flex; gap: 0.5rem; margin-block-start: 0.75rem; }
  button { font: inherit; padding: 0.4rem 0.9rem; }
</style>
</head>
<body>
<main>
<h1>Connect WhatsApp (Meta sandbox)</h1>
${form}
</main>
<script>
  const origin = ${JSON.stringify(origin)};
  const tell = (message) => window.opener && window.opener.postMessage(JSON.stringify(message), origin);
  const form = document.getElementById('signup');
  if (form) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ids = { businessId: form.business.value.trim(), wabaId: form.waba.value.trim(), phoneNumberId: form.number.value.trim() };
      document.getElementById('status').textContent = 'Finishing…';
      const response = await fetch('/embedded-signup/finish', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids) });
      if (!response.ok) {
        document.getElementById('status').textContent = (await response.json()).error.message;
        return;
      }
      const { code } = await response.json();
      tell({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', version: '3', data: { phone_number_id: ids.phoneNumberId, waba_id: ids.wabaId, business_id: ids.businessId } });
      tell({ type: 'SANDBOX_FB_LOGIN', code });
      window.close();
    });
    document.getElementById('cancel').addEventListener('click', () => {
      tell({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', version: '3', data: { current_step: 'PHONE_NUMBER_SETUP' } });
      tell({ type: 'SANDBOX_FB_LOGIN' });
      window.close();
    });
  }
</script>
</body>
</html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
