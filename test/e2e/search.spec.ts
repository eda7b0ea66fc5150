// Search and contacts in Chromium against the real api, Postgres and the Meta sandbox: a customer writes
// in Spanish; an agent presses /, types another form of a word, lands on /search, sees the word
// highlighted and follows the hit to the conversation; part of a phone number finds the customer, whose
// profile lists their past conversations; the contacts page searches as one types and keeps the query
// in the URL. Both pages pass axe in English and in Hebrew (right to left), and fit 360 px.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { graphql, owner, type SeededUser } from '../support/stack.ts';
import { bubbleWithText, launchChromium, openSignedIn } from '../support/web.ts';

const LUCIA: Sender = { name: 'Lucía Fernández', waId: '34612345678' };
const JORGE: Sender = { name: 'Jorge Ruiz', waId: '34698765432' };

let desk: Desk;
let browser: Browser;
let ana: SeededUser;
let apiKey: string;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'search-web', web: true });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});
beforeEach(async () => {
  ({ agent: ana, apiKey } = await desk.reset());
});

const marks = (page: Page, hit: string) => page.locator(`${hit} mark`).allTextContents();
/** Nothing sticks out sideways: the page fits its width. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('search', () => {
  it('finds a Spanish message by another form of its word from the / key, highlighted, and opens its conversation', async () => {
    await desk.customerWrites(JORGE, 'Buenos días, ¿tienen envío a Sevilla?');
    await desk.customerWrites(LUCIA, 'Hola, quiero cancelar mi pedido de ayer');
    const page = await openSignedIn(browser, desk.web!, ana);

    // Not while typing somewhere: the / goes into the field.
    await page.getByTestId('header-search-input').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('header-search-input');
    await page.keyboard.type('cancelación');
    expect(await page.getByTestId('header-search-input').inputValue()).toBe('cancelación');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'cancelación');

    const hit = page.locator('[data-testid="search-hit"][data-kind="MessageSearchHit"]');
    await hit.waitFor();
    expect(await hit.count()).toBe(1);
    expect(await hit.getByTestId('snippet').textContent()).toBe('Hola, quiero cancelar mi pedido de ayer');
    expect(await hit.getByTestId('snippet').getAttribute('dir')).toBe('auto');
    expect(await marks(page, '[data-testid="search-hit"]')).toEqual(['cancelar']);
    expect(await page.getByTestId('search-status').textContent()).toContain('1 result shown.');
    expect(await axeViolations(page)).toEqual([]);

    await hit.getByTestId('search-hit-link').click();
    await page.waitForURL(/\/conversations\//);
    await bubbleWithText(page, 'Hola, quiero cancelar mi pedido de ayer').waitFor();

    // A word nobody wrote: said in words.
    await page.goto(`${desk.web!.url}/search?q=devoluci%C3%B3n`);
    await page.getByText('Nothing found for “devolución”.').waitFor();
    await page.close();
  }, 90_000);

  it('finds a customer by part of the phone number and opens the profile with past conversations', async () => {
    await desk.customerWrites(LUCIA, 'Primer pedido');
    const [first] = await owner()<{ id: string }[]>`select id from conversations`;
    const resolved = await graphql(desk.api.url, apiKey, `mutation ($c: ID!) { setConversationStatus(conversationId: $c, status: RESOLVED) { __typename } }`, {
      c: Buffer.from(`Conversation:${first!.id}`).toString('base64'),
    });
    expect(resolved.data.setConversationStatus.__typename).toBe('MutationSetConversationStatusSuccess');
    await desk.customerWrites(LUCIA, 'Segundo pedido');
    await desk.customerWrites(JORGE, 'Hola');

    const page = await openSignedIn(browser, desk.web!, ana);
    await page.goto(`${desk.web!.url}/search`);
    await page.getByTestId('search-query').fill('612 34');
    await page.getByTestId('search-query').press('Enter');
    const hit = page.locator('[data-testid="search-hit"][data-kind="ContactSearchHit"]');
    await hit.waitFor();
    expect(await hit.count()).toBe(1);
    expect(await hit.getByTestId('snippet').textContent()).toBe('+34612345678');
    expect(await marks(page, '[data-kind="ContactSearchHit"]')).toEqual(['61234']);

    await hit.getByTestId('search-hit-link').click();
    await page.waitForURL(/\/contacts\//);
    await page.getByTestId('contact-conversations').waitFor();
    expect(await page.getByTestId('contact-name').textContent()).toBe('Lucía Fernández');
    expect(await page.getByTestId('contact-phone').textContent()).toBe('+34612345678');
    const statuses = await page.getByTestId('contact-conversation').evaluateAll((rows) => rows.map((r) => r.querySelector('[data-status]')?.getAttribute('data-status')));
    expect(statuses).toEqual(['OPEN', 'RESOLVED']);
    expect(await page.getByTestId('consent-none').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('contact-conversation-link').last().click();
    const firstId = Buffer.from(`Conversation:${first!.id}`).toString('base64');
    await page.waitForURL((url) => decodeURIComponent(url.pathname) === `/conversations/${firstId}`);
    await bubbleWithText(page, 'Primer pedido').waitFor();
    await page.close();
  }, 90_000);

  it('lists contacts newest first and searches them as one types, with the query in the URL', async () => {
    await desk.customerWrites(LUCIA, 'Hola', Math.floor(Date.now() / 1000) - 60);
    await desk.customerWrites(JORGE, 'Hola');
    const page = await openSignedIn(browser, desk.web!, ana);
    await page.getByTestId('nav-contacts').click();
    await page.waitForURL((url) => url.pathname === '/contacts');
    await page.getByTestId('contact-row').nth(1).waitFor();
    expect(await page.getByTestId('contact-link').allTextContents()).toEqual(['Jorge Ruiz', 'Lucía Fernández']);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('contacts-search').pressSequentially('fernan');
    await page.waitForURL((url) => url.searchParams.get('q') === 'fernan');
    await expect.poll(() => page.getByTestId('contact-link').allTextContents()).toEqual(['Lucía Fernández']);
    // The query survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('contact-link').allTextContents()).toEqual(['Lucía Fernández']);
    expect(await page.getByTestId('contacts-search').inputValue()).toBe('fernan');
    await page.close();
  }, 90_000);

  it('passes axe in Hebrew, right to left, and fits a 360 px screen', async () => {
    await desk.customerWrites(LUCIA, 'Hola, quiero cancelar mi pedido');
    await owner()`update users set language = 'he' where id = ${ana.id}`;
    const page = await openSignedIn(browser, desk.web!, ana);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/search?q=cancelar', '/contacts']) {
      await page.goto(`${desk.web!.url}${path}`);
      await page.waitForFunction(() => document.documentElement.lang === 'he' && document.documentElement.dir === 'rtl');
      await page.locator(path.startsWith('/search') ? '[data-testid="search-hit"]' : '[data-testid="contact-row"]').first().waitFor();
      expect(await page.locator('h1').textContent()).toBe(path.startsWith('/search') ? 'חיפוש' : 'אנשי קשר');
      expect(await axeViolations(page), path).toEqual([]);
      expect(await fitsWidth(page), path).toBe(true);
    }
    await page.close();
  }, 90_000);
});
