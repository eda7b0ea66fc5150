// The agent dashboard journey: real Postgres, real api, the built dashboard on its production server, and
// Chromium. A person signs in (session cookie), customer messages enter through /ingest exactly as the edge
// forwards them, and the browser must show them live, without a reload, with right-to-left scripts and
// emoji intact; sessions that end, and signing out, lead back to sign-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { editMessage, revokeMessage, textEcho, textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import { ingest, owner, resetDatabase, seedDevTenant, seedUser, startApi, subscriptionsAttached, type RunningApi, type SeededUser } from '../support/stack.ts';
import { freePort } from '@switchboard/db/embedded';
import { buildWeb, launchChromium, openSignedIn, startWeb, submitSignIn, type RunningWeb } from '../support/web.ts';
import { devTenantBody, devTenantCalls, devTenantEchoes } from '../support/webhooks.ts';

const ahmed: Sender = { name: 'أحمد الفارسي', waId: '971505550123', userId: 'AE.61029384756102938475' };
const noa: Sender = { name: 'נועה כהן', waId: '972545550111', userId: 'IL.83746501928374650192' };

const ARABIC = 'مرحبا، طلبي رقم 48213 لم يصل بعد. هل يمكنكم التحقق؟';
const HEBREW_WITH_EMOJI = 'שלום, ההזמנה שלי עדיין לא הגיעה 😮🙏👍🏽❤️';

let sequence = 0;
let lastTimestamp = 0;
/**
 * One inbound text as Meta would POST it, sent now (so the reply window is open). Meta's timestamps count
 * seconds; each message gets a later second than the one before, as a customer typing would.
 */
function customerText(from: Sender, body: string): string {
  return devTenantBody(from, [textMessage({ from, ...next(from), body })]);
}

/** The next wamid and second for a message with this customer. */
function next(counterpart: Sender, direction: 'inbound' | 'outbound' = 'inbound') {
  sequence += 1;
  lastTimestamp = Math.max(Math.floor(Date.now() / 1000), lastTimestamp + 1);
  const hex = `E2E${String(sequence).padStart(direction === 'inbound' ? 17 : 15, '0')}`;
  return { id: wamidFromParts({ counterpart: counterpart.waId!, direction, hex }), timestamp: String(lastTimestamp) };
}

async function deliver(api: RunningApi, body: string): Promise<void> {
  const answer = await ingest(api.url, [body]);
  expect(answer.status).toBe(200);
  expect(answer.results.map((r) => r.status)).toEqual(['committed']);
}

const names = (page: Page) => page.getByTestId('conversation-name').allTextContents();
const sessionCookies = async (page: Page) => (await page.context().cookies()).filter((cookie) => cookie.name === 'sb_session');

describe('agent dashboard', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let manager: SeededUser;
  /** Fixed for the run, so a restarted api is found where the dashboard expects it. */
  let startApiForWeb: () => Promise<RunningApi>;

  beforeAll(async () => {
    const [webPort, apiPort] = await Promise.all([freePort(), freePort(), buildWeb()]);
    startApiForWeb = () => startApi({ port: apiPort, allowedOrigins: [`http://127.0.0.1:${webPort}`] });
    api = await startApiForWeb();
    web = await startWeb({ port: webPort, apiUrl: api.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    manager = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
  });

  /**
   * Waits until the api has attached one more `topic` subscription than `before`: the page is listening,
   * so what the test delivers next reaches it live.
   */
  const listening = (topic: 'conversationChanged' | 'messageChanged', before: number) =>
    expect.poll(() => subscriptionsAttached(api.wsUrl, topic), { timeout: 10_000 }).toBeGreaterThan(before);

  /** Opens the dashboard, signs in as the manager and waits for the empty inbox and its live subscription. */
  async function openInbox(): Promise<Page> {
    const before = subscriptionsAttached(api.wsUrl, 'conversationChanged');
    const page = await openSignedIn(browser, web, manager);
    await page.getByTestId('inbox-empty').waitFor();
    await listening('conversationChanged', before);
    // Survives only as long as the document does: proves later updates arrive without a reload.
    await page.evaluate(() => ((window as unknown as { journeyMarker: string }).journeyMarker = 'same document'));
    return page;
  }
  const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { journeyMarker?: string }).journeyMarker);

  it('shows a new conversation live and its messages right to left, with emoji intact, appending the next one live', async () => {
    const page = await openInbox();

    await deliver(api, customerText(ahmed, ARABIC));

    const item = page.getByTestId('conversation-item');
    await item.waitFor();
    expect(await names(page)).toEqual([ahmed.name]);
    expect(await item.getByTestId('conversation-preview').textContent()).toContain(ARABIC);
    expect(await item.getByTestId('conversation-status').textContent()).toBe('Open');
    expect(await item.getByTestId('window-indicator').getAttribute('data-state')).toBe('open');
    expect(await sameDocument(page)).toBe('same document');

    const messagesBefore = subscriptionsAttached(api.wsUrl, 'messageChanged');
    await item.getByRole('link').click();
    await page.waitForURL(/\/conversations\//);
    const bubbles = page.getByTestId('message-bubble');
    await bubbles.first().waitFor();
    await listening('messageChanged', messagesBefore);
    expect(await page.getByTestId('contact-name').textContent()).toBe(ahmed.name);
    expect(await page.getByTestId('contact-wa-id').textContent()).toBe('+971505550123');
    expect(await page.getByTestId('window-countdown').getAttribute('data-state')).toBe('open');

    const first = bubbles.nth(0).getByTestId('message-text');
    expect(await first.textContent()).toBe(ARABIC);
    expect(await first.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await bubbles.nth(0).getAttribute('data-direction')).toBe('INBOUND');

    await deliver(api, customerText(ahmed, HEBREW_WITH_EMOJI));

    await bubbles.nth(1).waitFor();
    expect(await bubbles.count()).toBe(2);
    const second = bubbles.nth(1).getByTestId('message-text');
    expect(await second.textContent()).toBe(HEBREW_WITH_EMOJI);
    expect(await second.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await sameDocument(page)).toBe('same document');
    await page.close();
  });

  it('shows what the business sent from the WhatsApp Business app, a customer\'s edit with the earlier version, and a message the customer deleted, live', async () => {
    const page = await openInbox();
    const first = next(ahmed);
    await deliver(api, devTenantBody(ahmed, [textMessage({ from: ahmed, ...first, body: 'Where is order 48213?' })]));
    const second = next(ahmed);
    await deliver(api, devTenantBody(ahmed, [textMessage({ from: ahmed, ...second, body: 'My phone number is in the note' })]));
    await page.getByTestId('conversation-item').first().getByRole('link').click();
    await page.waitForURL(/\/conversations\//);
    const bubble = (wamid: string) => page.locator(`[data-testid="message-bubble"][data-wamid="${wamid}"]`);
    await bubble(second.id).waitFor();

    // The business answered from the WhatsApp Business app on the phone: an outbound bubble by that app.
    const echo = next(ahmed, 'outbound');
    await deliver(api, devTenantEchoes([textEcho({ business: '15550783881', to: ahmed, ...echo, body: 'It left our warehouse today.' })]));
    await bubble(echo.id).waitFor();
    expect(await bubble(echo.id).getAttribute('data-direction')).toBe('OUTBOUND');
    expect(await bubble(echo.id).getAttribute('data-source')).toBe('BUSINESS_APP');
    expect(await bubble(echo.id).getByTestId('message-author').textContent()).toBe('WhatsApp Business app');
    expect(await bubble(echo.id).getByTestId('message-text').textContent()).toBe('It left our warehouse today.');

    // The customer edits the first message: new text, marked edited, the earlier version a keypress away.
    await deliver(api, devTenantBody(ahmed, [editMessage({ from: ahmed, ...next(ahmed), originalId: first.id, body: 'Where is order 48214?' })]));
    await bubble(first.id).getByTestId('message-edited').waitFor();
    expect(await bubble(first.id).getByTestId('message-text').textContent()).toBe('Where is order 48214?');
    const versions = bubble(first.id).getByTestId('message-versions');
    await versions.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await versions.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await versions.locator('li bdi').allTextContents()).toEqual(['Where is order 48213?']);

    // The customer deletes the second message for everyone: its words are gone, and the bubble says so.
    await deliver(api, devTenantBody(ahmed, [revokeMessage({ from: ahmed, ...next(ahmed), originalId: second.id })]));
    await bubble(second.id).getByTestId('message-revoked').waitFor();
    expect(await bubble(second.id).getByTestId('message-revoked').textContent()).toBe('This message was deleted by the customer');
    expect(await bubble(second.id).getByTestId('message-text').count()).toBe(0);
    expect(await page.getByTestId('timeline').textContent()).not.toContain('My phone number is in the note');
    expect(await page.getByTestId('message-bubble').count()).toBe(3);

    // The customer calls: the call appears between the messages, with how it went and how long it lasted.
    const call = next(ahmed);
    await deliver(api, devTenantCalls(ahmed, [{
      id: `wacid.${call.id.slice(6)}`, to: '15550783881', from: ahmed.waId!, event: 'terminate', timestamp: call.timestamp,
      direction: 'USER_INITIATED', status: 'COMPLETED', start_time: String(Number(call.timestamp) - 95), end_time: call.timestamp, duration: 95,
    }]));
    const line = page.getByTestId('conversation-event');
    await line.waitFor();
    expect(await line.getAttribute('data-kind')).toBe('CALL');
    expect(await line.locator('span').first().textContent()).toBe('📞 Call from the customer · ended · lasted 1:35');
    expect(await sameDocument(page)).toBe('same document');
    await page.close();
  });

  it('puts new conversations on top and moves a conversation up when its customer writes again', async () => {
    const page = await openInbox();

    await deliver(api, customerText(ahmed, ARABIC));
    await page.getByTestId('conversation-item').first().waitFor();
    await deliver(api, customerText(noa, HEBREW_WITH_EMOJI));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-item"]').length === 2);
    expect(await names(page)).toEqual([noa.name, ahmed.name]);

    await deliver(api, customerText(ahmed, 'وشكراً 🙏'));
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid="conversation-name"]')?.textContent === name,
      ahmed.name,
    );
    expect(await names(page)).toEqual([ahmed.name, noa.name]);
    expect(await page.getByTestId('conversation-preview').first().textContent()).toContain('وشكراً 🙏');
    expect(await sameDocument(page)).toBe('same document');
    await page.close();
  });

  it('refuses a wrong password without signing in, and says why', async () => {
    const page = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await page.goto(web.url);
    await submitSignIn(page, { email: manager.email, password: 'not the password' });
    const alert = page.getByTestId('sign-in-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The email address or password is wrong.');
    expect(await page.getByTestId('sign-in-email').inputValue()).toBe(manager.email);
    expect(await page.getByTestId('sign-in-password').inputValue()).toBe('');
    expect(await page.getByTestId('conversation-list').count()).toBe(0);
    // Nothing to hand to scripts: the session would live in an HttpOnly cookie, and there is none.
    // (The language cookie is no secret: it keeps the sign-in page in the language last used here.)
    expect(await sessionCookies(page)).toEqual([]);
    await page.close();
  });

  it('shows who is signed in, keeps the session across a reload, and signs out back to the sign-in screen', async () => {
    const page = await openInbox();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Maya');
    expect(await page.getByTestId('signed-in-as').getAttribute('data-role')).toBe('MANAGER');
    expect(await page.getByTestId('tenant-name').textContent()).toBe('Acme Coffee');
    const [cookie] = await sessionCookies(page);
    expect(cookie).toMatchObject({ name: 'sb_session', httpOnly: true, sameSite: 'Strict' });

    await page.reload();
    await page.getByTestId('inbox-empty').waitFor();
    expect(await page.getByTestId('sign-in-form').count()).toBe(0);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByTestId('sign-in-notice').textContent()).toContain('You have signed out.');
    expect(await sessionCookies(page)).toEqual([]);
    // Signing out forgets the session, not the language.
    expect((await page.context().cookies()).map(({ name, value }) => ({ name, value }))).toEqual([{ name: 'switchboard_language', value: 'en' }]);
    await page.reload();
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByTestId('sign-in-notice').count()).toBe(0);
    await page.close();
  });

  it('goes back to sign-in with a message when the session ends, and signs in again', async () => {
    const page = await openInbox();
    await owner()`update sessions set revoked_at = now() where revoked_at is null`;

    await page.locator('[data-testid="assignee-filter"][data-value="UNASSIGNED"]').click();
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByTestId('sign-in-notice').textContent()).toContain('Your session has ended. Sign in again to continue.');

    await submitSignIn(page, manager);
    await page.getByTestId('inbox-empty').waitFor();
    expect(page.url()).toContain('assignee=UNASSIGNED');
    await page.close();
  });

  it('says so while the api is away, reconnects by itself and shows what arrived meanwhile', async () => {
    const page = await openInbox();
    await deliver(api, customerText(ahmed, ARABIC));
    await page.getByTestId('conversation-item').waitFor();
    await page.getByTestId('conversation-item').getByRole('link').click();
    await page.getByTestId('message-bubble').first().waitFor();

    await api.stop();
    await page.locator('[data-testid="connection-status"][data-status="reconnecting"]').waitFor();

    api = await startApiForWeb();
    await deliver(api, customerText(ahmed, HEBREW_WITH_EMOJI));
    await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('message-bubble').nth(1).waitFor();
    expect(await page.getByTestId('message-text').allTextContents()).toEqual([ARABIC, HEBREW_WITH_EMOJI]);
    expect(await sameDocument(page)).toBe('same document');
    await page.close();
  });
});
