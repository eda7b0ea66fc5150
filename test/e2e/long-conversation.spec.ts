// A conversation far longer than a page, in Chromium: it opens at its newest message, scrolling back loads
// older pages by itself while the page keeps only the messages in and near view (virtualised), the place
// being read stays put as each older page arrives, and a customer's new message is followed at the bottom
// and read out by the arrivals log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import { ingest, resetDatabase, seedDevTenant, seedUser, type SeededUser } from '../support/stack.ts';
import { openSignedIn, startDashboard, type Dashboard } from '../support/web.ts';
import { devTenantBody } from '../support/webhooks.ts';

const lena: Sender = { name: 'Lena Roth', waId: '491705550199', userId: 'DE.10293847561029384756' };
const MESSAGES = 400;
const PER_WEBHOOK = 50;

let sequence = 0;
/** `count` customer texts "Message n", a second apart, ending a minute ago; one webhook per PER_WEBHOOK. */
function history(count: number): string[] {
  const start = Math.floor(Date.now() / 1000) - 60 - count;
  const messages = Array.from({ length: count }, (_, i) => {
    sequence += 1;
    const id = wamidFromParts({ counterpart: lena.waId!, direction: 'inbound', hex: `LONG${String(sequence).padStart(16, '0')}` });
    return textMessage({ from: lena, id, timestamp: String(start + i), body: `Message ${i + 1}` });
  });
  return Array.from({ length: count / PER_WEBHOOK }, (_, i) => devTenantBody(lena, messages.slice(i * PER_WEBHOOK, (i + 1) * PER_WEBHOOK)));
}

/** What the page holds: how many messages are loaded, how many bubbles are in the DOM, and the first and last of those. */
const timeline = (page: Page) =>
  page.getByTestId('timeline').evaluate((scroller) => {
    const texts = [...scroller.querySelectorAll('[data-testid="message-text"]')].map((el) => el.textContent ?? '');
    return {
      loaded: Number(scroller.getAttribute('data-loaded')),
      bubbles: scroller.querySelectorAll('[data-testid="message-bubble"]').length,
      first: texts[0],
      last: texts.at(-1),
    };
  });

/** Whether the bubble saying `text` is in the DOM and within the scroller's view. */
const inView = (page: Page, text: string) =>
  page.getByTestId('timeline').evaluate((scroller, text) => {
    const bubble = [...scroller.querySelectorAll('[data-testid="message-bubble"]')].find((b) => b.querySelector('[data-testid="message-text"]')?.textContent === text);
    if (!bubble) return false;
    const view = scroller.getBoundingClientRect();
    const box = bubble.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  }, text);

describe('a long conversation', () => {
  let dashboard: Dashboard;
  let manager: SeededUser;

  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(async () => {
    await dashboard?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    manager = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
    const answer = await ingest(dashboard.api.url, history(MESSAGES));
    expect(answer.results.every((r) => r.status === 'committed')).toBe(true);
  });

  it('keeps the DOM bounded while scrolling back to the first message, without losing the place', async () => {
    const page = await openSignedIn(dashboard.browser, dashboard.web, manager);
    page.on('console', (msg) => { if (msg.text().startsWith('DBG')) console.log(msg.text()); });
    await page.getByTestId('conversation-item').first().click();
    await expect.poll(() => inView(page, `Message ${MESSAGES}`), { timeout: 10_000 }).toBe(true);

    let most = 0;
    const beginning = page.getByTestId('timeline-beginning');
    while (!(await beginning.isVisible())) {
      const before = await timeline(page);
      most = Math.max(most, before.bubbles);
      // Scrolling to the top loads the page before by itself; the oldest message loaded so far, at the top
      // of the view when the agent got there, is still in view when the older page lands above it.
      const oldest = `Message ${MESSAGES - before.loaded + 1}`;
      await page.getByTestId('timeline').hover();
      await page.mouse.wheel(0, -100_000);
      await expect.poll(async () => (await timeline(page)).loaded > before.loaded || (await beginning.isVisible()), { timeout: 10_000 }).toBe(true);
      if ((await timeline(page)).loaded > before.loaded) await expect.poll(() => inView(page, oldest)).toBe(true).catch(async (e) => { console.log('DEBUG', oldest, JSON.stringify(before), JSON.stringify(await timeline(page)), await page.getByTestId('timeline').evaluate((t) => [t.scrollTop, t.scrollHeight, t.clientHeight, [...t.querySelectorAll('[data-testid=message-text]')].map((x) => x.textContent + '@' + Math.round(x.getBoundingClientRect().top)).join(',')])); await page.screenshot({ path: '/tmp/long.png' }); throw e; });
    }
    // All 400 are loaded, the first is in view, and the page never held more than a few screens of them.
    const end = await timeline(page);
    expect(end.loaded).toBe(MESSAGES);
    await page.mouse.wheel(0, -100_000);
    await expect.poll(() => inView(page, 'Message 1')).toBe(true);
    expect(most).toBeGreaterThan(5);
    expect(Math.max(most, end.bubbles)).toBeLessThan(80);
    expect(end.last).not.toBe(`Message ${MESSAGES}`);

    // Back at the bottom, a new message from the customer is followed and read out.
    await page.getByTestId('timeline').hover();
    await page.mouse.wheel(0, 1_000_000);
    await expect.poll(() => inView(page, `Message ${MESSAGES}`), { timeout: 10_000 }).toBe(true);
    const answer = await ingest(dashboard.api.url, [
      devTenantBody(lena, [
        textMessage({
          from: lena,
          id: wamidFromParts({ counterpart: lena.waId!, direction: 'inbound', hex: `LONG${String(++sequence).padStart(16, '0')}` }),
          timestamp: String(Math.floor(Date.now() / 1000)),
          body: 'Are you still there?',
        }),
      ]),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['committed']);
    await expect.poll(() => inView(page, 'Are you still there?'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('arrivals').textContent()).toContain('Are you still there?');
    await page.close();
  });
});
