// Working fast, in Chromium against the built dashboard, the real api, Postgres and the Meta sandbox. An
// agent signs in, takes a waiting conversation from the inbox, opens it, answers with a canned response
// and resolves it without touching the mouse (j/k, a, Enter, `/shortcut`, e); `?` lists the shortcuts
// in a modal dialog that Escape closes. While she works in one conversation, a customer writing in
// another of hers puts an unread count in the tab's title and raises a desktop notification (permission
// granted to the browser context; the page's real `new Notification(…)` calls recorded by wrapping the
// constructor before the page loads) with a chime, and a conversation newly assigned to her does too.
// In Hebrew, right to left, at 360 px, the count, the selected row and the dialog pass axe and fit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, logIn, owner, seedUser, subscriptionsAttached, type SeededUser } from '../support/stack.ts';
import { bubbleWithText, launchChromium } from '../support/web.ts';

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };
const OMAR: Sender = { name: 'Omar Ali', waId: '201001234567' };
const SARA: Sender = { name: 'Sara Levi', waId: '972501234567' };

let desk: Desk;
let browser: Browser;
let ana: SeededUser;
let context: BrowserContext | null = null;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'keyboard', web: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

/** Ana (online or not), and a canned response Maya the manager wrote. */
async function seed({ online }: { online: boolean }) {
  const { tenantId, agent } = await desk.reset(online ? { agentPresence: 'online' } : {});
  ana = agent;
  const maya = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
  const session = await logIn(desk.api.url, maya.email, maya.password);
  const canned = await graphql(
    desk.api.url,
    session,
    'mutation { createCannedResponse(shortcut: "shipping", title: "Shipping times", body: "Orders ship within 2 working days.") { __typename } }',
  );
  expect(canned.data.createCannedResponse.__typename).toBe('MutationCreateCannedResponseSuccess');
}

beforeEach(async () => {
  await context?.close();
  context = null;
});

/** `customer` writes, `secondsAgo` before now. */
const writes = (customer: Sender, body: string, secondsAgo = 0) => desk.customerWrites(customer, body, Math.floor(Date.now() / 1000) - secondsAgo);

/**
 * A fresh browser context (en-US, UTC) whose pages record every `new Notification(title, options)` they
 * make and every tone they start, before any script of the page runs.
 */
async function newRecordingPage({ notifications }: { notifications: boolean }): Promise<Page> {
  context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  if (notifications) await context.grantPermissions(['notifications'], { origin: desk.web!.url });
  await context.addInitScript(() => {
    const recorded: { title: string; body?: string; tag?: string }[] = [];
    const w = window as unknown as { notificationsMade: typeof recorded; tonesStarted: number; Notification: typeof Notification };
    w.notificationsMade = recorded;
    w.tonesStarted = 0;
    const Original = window.Notification;
    w.Notification = class extends Original {
      constructor(title: string, options?: NotificationOptions) {
        recorded.push({ title, body: options?.body, tag: options?.tag });
        super(title, options);
      }
    };
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
      w.tonesStarted++;
      return start.apply(this, args);
    };
  });
  return context.newPage();
}

const notificationsMade = (page: Page) => page.evaluate(() => (window as unknown as { notificationsMade: { title: string; body?: string; tag?: string }[] }).notificationsMade);
const tonesStarted = (page: Page) => page.evaluate(() => (window as unknown as { tonesStarted: number }).tonesStarted);

/** What has the focus: its data-testid, else its tag. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

/** Presses Tab until the element with `testid` has the focus (as a person tabbing through the page would). */
async function tabTo(page: Page, testid: string, { max = 60, backwards = false } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === testid) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${testid}; the focus is on ${await focused(page)}`);
}

/**
 * Runs `act` and waits until the api has attached more subscriptions of `topic` (the inbox's
 * `conversationChanged` after signing in, a conversation's `messageChanged` after opening it): from then
 * on the page hears changes live.
 */
async function listening<T>(topic: 'conversationChanged' | 'messageChanged', act: () => Promise<T>): Promise<T> {
  const before = subscriptionsAttached(desk.api.wsUrl, topic);
  const result = await act();
  await expect.poll(() => subscriptionsAttached(desk.api.wsUrl, topic), { timeout: 10_000 }).toBeGreaterThan(before);
  return result;
}

/** Signs in with the keyboard alone: Tab to the email field, type, Tab, type, Enter. */
async function signInByKeyboard(page: Page, person: SeededUser): Promise<void> {
  await page.goto(desk.web!.url);
  await page.getByTestId('sign-in-form').waitFor();
  await tabTo(page, 'sign-in-email');
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('sign-in-password');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
}

const row = (page: Page, customer: Sender) => page.getByTestId('conversation-item').filter({ has: page.getByTestId('conversation-name').getByText(customer.name, { exact: true }) });

/** The customer whose inbox row has the focus. */
const focusedRow = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('[data-testid="conversation-item"]')?.querySelector('[data-testid="conversation-name"]')?.textContent ?? null);

describe('working by keyboard', () => {
  it('signs in, takes a waiting conversation with j/k and a, opens it with Enter, answers with a canned response and resolves it with e', async () => {
    await seed({ online: false });
    await writes(LINA, 'Hello, where is my order?', 120);
    await writes(OMAR, 'Do you ship to Cairo?', 60);
    const page = await newRecordingPage({ notifications: true });
    await listening('conversationChanged', () => signInByKeyboard(page, ana));
    // Newest first: Omar, then Lina; both wait for someone.
    await row(page, LINA).waitFor();
    expect(await page.getByTestId('conversation-name').allTextContents()).toEqual([OMAR.name, LINA.name]);
    expect(await row(page, LINA).getByTestId('conversation-assignee').textContent()).toContain('Unassigned');

    // j from the page selects the first row, then moves down and up; the focus follows, the row is marked.
    await page.keyboard.press('j');
    expect(await focusedRow(page)).toBe(OMAR.name);
    await page.keyboard.press('j');
    expect(await focusedRow(page)).toBe(LINA.name);
    await page.keyboard.press('j');
    expect(await focusedRow(page)).toBe(LINA.name);
    await page.keyboard.press('k');
    expect(await focusedRow(page)).toBe(OMAR.name);
    await page.keyboard.press('j');
    expect(await row(page, LINA).getAttribute('data-selected')).toBe('true');
    expect(await row(page, OMAR).getAttribute('data-selected')).toBe('false');
    // The list is one Tab stop: only the selected row's link is in the tab order.
    expect(await page.locator('[data-testid="conversation-item"] a[tabindex="0"]').count()).toBe(1);
    expect(await row(page, LINA).locator('a').getAttribute('tabindex')).toBe('0');

    // a: Lina's conversation becomes Ana's, through assignConversation.
    await page.keyboard.press('a');
    await page.locator('[data-testid="inbox-done"]', { hasText: 'Assigned to You.' }).waitFor();
    await row(page, LINA).locator(`[data-testid="conversation-assignee"]`, { hasText: 'You' }).waitFor();
    expect(await row(page, OMAR).getByTestId('conversation-assignee').textContent()).toContain('Unassigned');
    expect(await focusedRow(page)).toBe(LINA.name);
    // Once the session has heard of it (the title counts it, unread), it is plain that taking it myself
    // rang nothing.
    await expect.poll(() => page.title()).toBe('(1) Inbox · Switchboard');
    expect(await notificationsMade(page)).toEqual([]);
    expect(await tonesStarted(page)).toBe(0);

    // Enter opens the selected conversation.
    const question = bubbleWithText(page, 'Hello, where is my order?');
    await listening('messageChanged', async () => {
      await page.keyboard.press('Enter');
      await question.waitFor();
    });
    expect(page.url()).toMatch(/\/conversations\/[^/]+$/);
    await expect.poll(() => page.title()).toBe('Lina Haddad · Switchboard');
    expect(await page.getByTestId('work-bar').getByTestId('conversation-assignee').textContent()).toContain('You');

    // The composer by Tab, `/ship`, Enter picks the canned response, Enter sends it.
    await tabTo(page, 'composer-input');
    await page.keyboard.type('/ship');
    await page.locator('[data-testid="canned-option"][data-shortcut="shipping"]').waitFor();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('composer-input').inputValue()).toBe('Orders ship within 2 working days.');
    // e typed in the composer is text, not a shortcut.
    await page.keyboard.press('Enter');
    await bubbleWithText(page, 'Orders ship within 2 working days.').waitFor();
    const accepted = await eventually(async () => desk.sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toMatchObject({ to: `+${LINA.waId}`, type: 'text', text: { body: 'Orders ship within 2 working days.' } });
    await page.keyboard.type('e');
    expect(await page.getByTestId('composer-input').inputValue()).toBe('e');
    await page.keyboard.press('Backspace');

    // Out of the field (Tab on to the next button), e resolves the conversation.
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.tagName)) !== 'BUTTON'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.keyboard.press('e');
    await page.locator('[data-testid="work-done"]', { hasText: 'Status: Resolved.' }).waitFor();
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolved' }).first().waitFor();
    const session = await logIn(desk.api.url, ana.email, ana.password);
    const answer = await graphql(desk.api.url, session, '{ conversations(first: 10) { edges { node { status contact { waId } assignee { name } } } } }');
    const byCustomer = Object.fromEntries(answer.data.conversations.edges.map((e: { node: { status: string; contact: { waId: string }; assignee: { name: string } | null } }) => [e.node.contact.waId, e.node]));
    expect(byCustomer[LINA.waId!]).toEqual({ status: 'RESOLVED', contact: { waId: LINA.waId }, assignee: { name: 'Ana' } });
    expect(byCustomer[OMAR.waId!]).toMatchObject({ status: 'OPEN', assignee: null });
    // e again says so in words instead of doing anything.
    await page.keyboard.press('e');
    await page.locator('[data-testid="work-done"]', { hasText: 'Resolved. The customer’s next message opens a new conversation.' }).waitFor();
  }, 90_000);

  it('lists every shortcut in a dialog that ? opens and Escape closes, giving the focus back', async () => {
    await seed({ online: false });
    await writes(LINA, 'Hello?');
    const page = await newRecordingPage({ notifications: false });
    await signInByKeyboard(page, ana);
    await row(page, LINA).waitFor();
    await page.keyboard.press('j');
    expect(await focusedRow(page)).toBe(LINA.name);

    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await page.keyboard.press('?');
    await dialog.waitFor();
    expect(await dialog.getByTestId('shortcut').evaluateAll((rows) => rows.map((r) => [r.querySelector('kbd')?.textContent, r.querySelector('dd')?.textContent]))).toEqual([
      ['j', 'Next conversation in the inbox'],
      ['k', 'Previous conversation in the inbox'],
      ['Enter', 'Open the selected conversation'],
      ['e', 'Resolve the open conversation'],
      ['a', 'Assign the open or selected conversation to me'],
      ['/', 'Search customers and messages'],
      ['?', 'Show these shortcuts'],
    ]);
    // Modal: the focus is inside, Tab stays inside, and the page's shortcuts are off.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('data-testid'))).toBe('shortcuts-dialog');
    for (const key of ['Tab', 'Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focused(page), key).toBe('shortcuts-close');
    }
    await page.keyboard.press('j');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedRow(page)).toBe(LINA.name);

    // The header's button opens it too; its Close button closes it.
    await page.getByTestId('shortcuts-button').click();
    await dialog.waitFor();
    await page.getByTestId('shortcuts-close').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('shortcuts-button');
  }, 60_000);

  it('puts the unread count in the title and notifies, with a chime, when a customer writes in one of mine or a conversation becomes mine while I look at another', async () => {
    await seed({ online: true });
    await writes(LINA, 'Hello, where is my order?', 120);
    await writes(OMAR, 'Do you ship to Cairo?', 60);
    const page = await newRecordingPage({ notifications: true });
    await listening('conversationChanged', () => signInByKeyboard(page, ana));
    await row(page, OMAR).waitFor();
    // Both were assigned to Ana as they came in; she has opened neither in this browser.
    await expect.poll(() => page.title()).toBe('(2) Inbox · Switchboard');
    expect(await page.getByTestId('unread-count').getAttribute('data-count')).toBe('2');
    expect(await page.getByTestId('unread-count').textContent()).toContain('2 conversations of yours with unread messages');
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    expect(await page.getByTestId('enable-notifications').count()).toBe(0);

    // Opening a conversation reads it: Lina's, then Omar's.
    await row(page, LINA).getByRole('link').click();
    await bubbleWithText(page, 'Hello, where is my order?').waitFor();
    await expect.poll(() => page.title()).toBe('(1) Lina Haddad · Switchboard');
    await page.goBack();
    await listening('messageChanged', async () => {
      await row(page, OMAR).getByRole('link').click();
      await bubbleWithText(page, 'Do you ship to Cairo?').waitFor();
    });
    await expect.poll(() => page.title()).toBe('Omar Ali · Switchboard');
    expect(await page.getByTestId('unread-count').count()).toBe(0);
    expect(await notificationsMade(page)).toEqual([]);

    // Omar writes in the conversation on screen: shown, not rung, not unread.
    await writes(OMAR, 'Or to Alexandria?');
    await bubbleWithText(page, 'Or to Alexandria?').waitFor();
    // Lina writes in hers while Ana reads Omar's: the title counts it, a notification names Lina and says
    // only that there is a new message — never what she wrote.
    await writes(LINA, 'My order number is A-1042');
    await expect.poll(() => page.title()).toBe('(1) Omar Ali · Switchboard');
    await expect.poll(() => notificationsMade(page)).toHaveLength(1);
    const [first] = await notificationsMade(page);
    expect(first).toEqual({ title: LINA.name, body: 'New message', tag: expect.stringMatching(/^conversation-/) });
    expect(JSON.stringify(first)).not.toContain('A-1042');
    await expect.poll(() => tonesStarted(page)).toBe(2);

    // A new customer's conversation is assigned to Ana as it comes in: another notification and chime.
    await writes(SARA, 'Hi there');
    await expect.poll(() => notificationsMade(page)).toHaveLength(2);
    expect((await notificationsMade(page))[1]).toEqual({ title: SARA.name, body: 'Assigned to you', tag: expect.stringMatching(/^conversation-/) });
    await expect.poll(() => page.title()).toBe('(2) Omar Ali · Switchboard');
    await expect.poll(() => tonesStarted(page)).toBe(4);
    expect(await axeViolations(page)).toEqual([]);

    // Reading Lina's conversation takes it off the count, and a reload remembers what was read.
    await page.getByTestId('unread-count').click();
    await listening('messageChanged', async () => {
      await row(page, LINA).getByRole('link').click();
      await bubbleWithText(page, 'My order number is A-1042').waitFor();
    });
    await expect.poll(() => page.title()).toBe('(1) Lina Haddad · Switchboard');
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
    await expect.poll(() => page.title()).toBe('(1) Lina Haddad · Switchboard');

    // Muted on /me: the next notification comes without a chime.
    await page.getByTestId('nav-me').click();
    await page.getByTestId('notification-settings').waitFor();
    expect(await page.getByTestId('notification-permission').textContent()).toBe('Desktop notifications are on in this browser.');
    await page.getByTestId('notification-sound').uncheck();
    expect(await page.evaluate(() => localStorage.getItem('switchboard.sound'))).toBe('off');
    const tonesBefore = await tonesStarted(page);
    await writes(OMAR, 'Hello again');
    await expect.poll(() => notificationsMade(page)).toHaveLength(1);
    expect((await notificationsMade(page))[0]).toMatchObject({ title: OMAR.name, body: 'New message' });
    expect(await tonesStarted(page)).toBe(tonesBefore);
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it('in Hebrew, right to left, at 360 px: the unread count, the selected row and the shortcuts dialog pass axe and fit', async () => {
    await seed({ online: true });
    await owner()`update users set language = 'he' where id = ${ana.id}`;
    await writes(LINA, 'Hello?');
    const page = await newRecordingPage({ notifications: false });
    await page.setViewportSize({ width: 360, height: 740 });
    await listening('conversationChanged', () => signInByKeyboard(page, ana));
    await page.waitForFunction(() => document.documentElement.lang === 'he' && document.documentElement.dir === 'rtl');
    await row(page, LINA).waitFor();
    await expect.poll(() => page.title()).toBe('(1) תיבת השיחות · Switchboard');
    expect(await page.getByTestId('unread-count').textContent()).toContain('שיחה אחת שלך עם הודעות שלא נקראו');
    await page.keyboard.press('j');
    expect(await focusedRow(page)).toBe(LINA.name);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'קיצורי מקלדת' });
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedRow(page)).toBe(LINA.name);
  }, 60_000);
});
