// Every page of the dashboard, in English and in Hebrew (right to left), with real data behind it, on a
// wide screen (1440 px) and on a phone (360 px): axe finds no WCAG 2.1 A/AA violation on any of them at
// either width, each has its heading, nothing sticks out sideways (support/layout.ts), its main controls
// can be reached, and on the phone the app bar's Menu works by keyboard. A screenshot of each is kept
// under test/.artifacts/screenshots/<language>/ and <language>-360/ for people to look at (CI keeps the
// directory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { layoutProblems, outOfReach } from '../support/layout.ts';
import { owner, seedApiKey, seedUser, type SeededUser } from '../support/stack.ts';
import { launchChromium, submitSignIn } from '../support/web.ts';

const SHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));
const OPERATOR = { email: 'ops@switchboard.test', password: 'operator passphrase 1' };
const CUSTOMER = { name: 'Lucía Fernández', waId: '34600111222' };
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 740 };

let desk: Desk;
let browser: Browser;
let admin: SeededUser;
let conversationId: string;
let contactId: string;
let privacyRequestId: string;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'every-page', web: true });
  browser = await launchChromium();
  const { tenantId } = await desk.reset();
  admin = await seedUser(tenantId, { email: 'bea@acme.test', name: 'Bea', role: 'admin' });
  await owner()`insert into operators (email, name, password_hash) values (${OPERATOR.email}, 'Platform Ops', ${await hashPassword(OPERATOR.password)})`;
  await desk.customerWrites(CUSTOMER, 'Hola, quiero cancelar mi pedido');
  // Rows on every list, so their controls are checked too.
  await owner()`insert into labels (tenant_id, name, color) values (${tenantId}, 'VIP', '#22c55e')`;
  await owner()`insert into canned_responses (tenant_id, shortcut, title, body) values (${tenantId}, 'hello', 'Greeting', 'Hello! How can I help?')`;
  await seedApiKey(tenantId, ['read'], 'Reporting');
  await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
  const [row] = await owner()<{ id: string; contactId: string }[]>`select id, contact_id from conversations where tenant_id = ${tenantId}`;
  conversationId = globalId('Conversation', row!.id);
  contactId = globalId('Contact', row!.contactId);
  // An erasure the customer asked for in WhatsApp, waiting for an admin: the privacy list has a row, and
  // the request its decision buttons.
  const [request] = await owner()<{ id: string }[]>`
    insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, created_by_kind, received_at, due_at)
    values (${tenantId}, 'erasure', 'whatsapp', 'contact', ${row!.contactId}, '+34 •••••• 22', 'customer', now() - interval '2 days', now() + interval '28 days')
    returning id`;
  await owner()`insert into privacy_request_steps (tenant_id, request_id, actor_kind, action) values (${tenantId}, ${request!.id}, 'customer', 'received')`;
  privacyRequestId = globalId('PrivacyRequest', request!.id);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

/** A page by name (its screenshot's), path, and the controls (test ids) it is for, which must be in reach. */
type Visit = readonly [name: string, path: string, controls: readonly string[]];

const signedOutPages = (): Visit[] => [
  ['sign-in', '/', ['sign-in-email', 'sign-in-password', 'sign-in-button']],
  ['invitation-invalid', '/invite/sbi_not-a-real-link', []],
];

/** The pages a signed-in admin opens. */
const adminPages = (): Visit[] => [
  ['inbox', '/', ['department-filter', 'assignee-filter', 'status-filter', 'conversation-item']],
  ['conversation', `/conversations/${conversationId}`, ['set-resolved', 'transfer', 'toggle-notes', 'attach-file', 'use-template-mode', 'composer-send']],
  ['analytics', '/analytics', ['analytics-preset', 'analytics-show', 'volume-bar']],
  ['contacts', '/contacts', ['contacts-search', 'contact-link']],
  ['contact', `/contacts/${contactId}`, ['contact-conversation-link']],
  ['search', '/search?q=cancelar', ['search-query', 'search-hit-link']],
  ['me', '/me', ['me-name', 'me-save']],
  ['audit', '/audit', ['audit-action', 'audit-apply', 'audit-older']],
  ['retention', '/retention', ['save-retention']],
  ['privacy', '/privacy', ['privacy-filter-apply', 'privacy-request-link', 'privacy-submit']],
  ['privacy-request', `/privacy?request=${privacyRequestId}`, ['privacy-approve', 'privacy-reject', 'privacy-close']],
  ['record-of-processing', '/record-of-processing', ['record-change-retention']],
  ['settings-account', '/settings/account', ['account-name', 'account-time-zone', 'account-save']],
  ['settings-people', '/settings/people', ['add-person', 'manage-person']],
  ['settings-departments', '/settings/departments', ['add-department', 'edit-department', 'save-capacity']],
  ['settings-numbers', '/settings/numbers', ['connect-number', 'save-number']],
  ['settings-templates', '/settings/templates', ['templates-search', 'sync-templates']],
  ['settings-labels', '/settings/labels', ['add-label', 'edit-label', 'delete-label']],
  ['settings-canned-responses', '/settings/canned-responses', ['save-canned', 'edit-canned', 'delete-canned']],
  ['settings-api-keys', '/settings/api-keys', ['create-api-key', 'revoke-api-key']],
];

const operatorPages = (): Visit[] => [['operator', '/operator', ['create-tenant', 'close-tenant']]];

/** Open, settled: its heading shown and nothing left loading. */
async function settle(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
}

/** What is wrong with the page as it stands, each problem prefixed with the viewport's width. */
async function problemsAt(page: Page, controls: readonly string[], screenshot: string): Promise<string[]> {
  const width = page.viewportSize()!.width;
  const found = [...(await axeViolations(page)), ...(await layoutProblems(page))];
  await page.screenshot({ path: screenshot, fullPage: true });
  found.push(...(await outOfReach(page, controls)));
  return found.map((problem) => `${width} px: ${problem}`);
}

/**
 * Each page opened wide, then opened again on a phone (not resized: a page may choose its layout as it
 * opens, the conversation its notes beside or over the timeline): problems by page name, none for a page
 * that passes.
 */
async function visit(page: Page, language: 'en' | 'he', pages: Visit[]): Promise<Record<string, string[]>> {
  const widths = [
    { size: WIDE, folder: path.join(SHOTS, language) },
    { size: PHONE, folder: path.join(SHOTS, `${language}-${PHONE.width}`) },
  ];
  await Promise.all(widths.map(({ folder }) => mkdir(folder, { recursive: true })));
  const found: Record<string, string[]> = {};
  for (const [name, route, controls] of pages) {
    found[name] = [];
    for (const { size, folder } of widths) {
      await page.setViewportSize(size);
      await page.goto(`${desk.web!.url}${route}`);
      await settle(page);
      expect(await page.locator('html').getAttribute('dir'), name).toBe(language === 'he' ? 'rtl' : 'ltr');
      found[name].push(...(await problemsAt(page, controls, path.join(folder, `${name}.png`))));
    }
  }
  return found;
}

/**
 * On a phone the app bar keeps the brand, the live status and a Menu button; the button opens, by
 * keyboard, every link and the person's own controls (in reach, axe-clean) and Escape closes it again
 * with the focus back on it. The / shortcut opens it at the search box.
 */
async function checkMenu(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  await page.goto(desk.web!.url);
  await settle(page);
  const button = page.getByTestId('menu-button');
  const inMenu = ['nav-contacts', 'nav-analytics', 'nav-settings', 'nav-people', 'nav-audit', 'nav-retention', 'nav-privacy', 'nav-record', 'header-search-input', 'presence-select', 'nav-me', 'language-picker', 'sign-out'];
  expect(await page.getByTestId('nav-contacts').isVisible()).toBe(false);
  expect(await button.getAttribute('aria-expanded')).toBe('false');
  await button.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('nav-contacts').waitFor();
  expect(await button.getAttribute('aria-expanded')).toBe('true');
  expect(await outOfReach(page, inMenu)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  expect(await layoutProblems(page)).toEqual([]);
  // The panel comes right after the button in the focus order.
  await button.focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-contacts');
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-contacts').waitFor({ state: 'hidden' });
  expect(await button.getAttribute('aria-expanded')).toBe('false');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-button');
  // Opening a page from it closes it.
  await page.keyboard.press('Enter');
  await page.getByTestId('nav-contacts').click();
  await page.waitForURL(/\/contacts$/);
  await page.getByTestId('nav-contacts').waitFor({ state: 'hidden' });
  await page.keyboard.press('/');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'header-search-input');
  expect(await button.getAttribute('aria-expanded')).toBe('true');
}

describe('every page', () => {
  for (const [language, locale] of [['en', 'en-US'], ['he', 'he-IL']] as const) {
    it(`passes axe, has its heading, fits and keeps its controls in reach at 1440 and 360 px in ${language === 'en' ? 'English' : 'Hebrew'}, signed out, as an admin and as an operator`, async () => {
      const context = await browser.newContext({ locale, timezoneId: 'UTC', viewport: WIDE });
      const page = await context.newPage();
      const problems: Record<string, string[]> = {};

      Object.assign(problems, await visit(page, language, signedOutPages()));
      await page.goto(desk.web!.url);
      await submitSignIn(page, admin);
      await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
      Object.assign(problems, await visit(page, language, adminPages()));
      await checkMenu(page);
      await context.close();

      const operating = await browser.newContext({ locale, timezoneId: 'UTC', viewport: WIDE });
      const operatorPage = await operating.newPage();
      await operatorPage.goto(desk.web!.url);
      await submitSignIn(operatorPage, OPERATOR);
      await operatorPage.waitForURL(/\/operator$/);
      Object.assign(problems, await visit(operatorPage, language, operatorPages()));
      await operating.close();

      expect(Object.keys(problems)).toHaveLength(signedOutPages().length + adminPages().length + operatorPages().length);
      expect(Object.fromEntries(Object.entries(problems).filter(([, list]) => list.length > 0))).toEqual({});
    }, 300_000);
  }
});
