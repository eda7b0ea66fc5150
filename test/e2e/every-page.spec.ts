// Every page of the dashboard, in English and in Hebrew (right to left), with real data behind it: axe
// finds no WCAG 2.1 A/AA violation on any of them, each has its heading, and a screenshot of each is kept
// under test/.artifacts/screenshots/<language>/ for people to look at (CI keeps the directory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { owner, seedApiKey, seedUser, type SeededUser } from '../support/stack.ts';
import { launchChromium, submitSignIn } from '../support/web.ts';

const SHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));
const OPERATOR = { email: 'ops@switchboard.test', password: 'operator passphrase 1' };
const CUSTOMER = { name: 'Lucía Fernández', waId: '34600111222' };

let desk: Desk;
let browser: Browser;
let admin: SeededUser;
let conversationId: string;
let contactId: string;

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
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

/** The pages a signed-in admin opens, by name (the screenshot's) and path. */
const adminPages = (): (readonly [string, string])[] => [
  ['inbox', '/'],
  ['conversation', `/conversations/${conversationId}`],
  ['analytics', '/analytics'],
  ['contacts', '/contacts'],
  ['contact', `/contacts/${contactId}`],
  ['search', '/search?q=cancelar'],
  ['me', '/me'],
  ['audit', '/audit'],
  ['retention', '/retention'],
  ['privacy', '/privacy'],
  ['record-of-processing', '/record-of-processing'],
  ['settings-account', '/settings/account'],
  ['settings-people', '/settings/people'],
  ['settings-departments', '/settings/departments'],
  ['settings-numbers', '/settings/numbers'],
  ['settings-templates', '/settings/templates'],
  ['settings-labels', '/settings/labels'],
  ['settings-canned-responses', '/settings/canned-responses'],
  ['settings-api-keys', '/settings/api-keys'],
];

/** Open, settled: its heading shown and nothing left loading. */
async function settle(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
}

async function visit(page: Page, language: 'en' | 'he', pages: (readonly [string, string])[]): Promise<Record<string, string[]>> {
  const dir = path.join(SHOTS, language);
  await mkdir(dir, { recursive: true });
  const found: Record<string, string[]> = {};
  for (const [name, route] of pages) {
    await page.goto(`${desk.web!.url}${route}`);
    await settle(page);
    expect(await page.locator('html').getAttribute('dir'), name).toBe(language === 'he' ? 'rtl' : 'ltr');
    found[name] = await axeViolations(page);
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }
  return found;
}

describe('every page', () => {
  for (const [language, locale] of [['en', 'en-US'], ['he', 'he-IL']] as const) {
    it(`passes axe and has its heading in ${language === 'en' ? 'English' : 'Hebrew'}, signed out, as an admin and as an operator`, async () => {
      const context = await browser.newContext({ locale, timezoneId: 'UTC' });
      const page = await context.newPage();
      const violations: Record<string, string[]> = {};

      Object.assign(violations, await visit(page, language, [['sign-in', '/'], ['invitation-invalid', '/invite/sbi_not-a-real-link']]));
      await page.goto(desk.web!.url);
      await submitSignIn(page, admin);
      await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
      Object.assign(violations, await visit(page, language, adminPages()));
      await context.close();

      const operating = await browser.newContext({ locale, timezoneId: 'UTC' });
      const operatorPage = await operating.newPage();
      await operatorPage.goto(desk.web!.url);
      await submitSignIn(operatorPage, OPERATOR);
      await operatorPage.waitForURL(/\/operator$/);
      Object.assign(violations, await visit(operatorPage, language, [['operator', '/operator']]));
      await operating.close();

      expect(Object.keys(violations)).toHaveLength(adminPages().length + 3);
      expect(Object.fromEntries(Object.entries(violations).filter(([, list]) => list.length > 0))).toEqual({});
    }, 300_000);
  }
});
