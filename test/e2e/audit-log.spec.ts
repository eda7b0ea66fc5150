// The audit log page in Chromium: an admin reaches it from the app bar by keyboard, reads the log newest
// first with actions in words, pages through it, filters it by action, person and dates, and the page
// passes axe throughout; agents get no link and no entries. Real Postgres, the real api, the built dashboard.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

const DAY = 86_400_000;

/** The rows on screen: what, who, on whom and from where. */
async function rows(page: Page): Promise<string[][]> {
  return page.getByTestId('audit-entry').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim())));
}

/** A day as the date field takes it (the page runs in UTC). */
const day = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

describe('the audit log page', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let admin: SeededUser;
  let agent: SeededUser;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await startDashboard();
    ({ api, web, browser } = dashboard);
  }, 180_000);
  afterAll(() => dashboard?.stop());
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    // Sixty sign-ins of Ana's three days ago, and a failed one against her account ten days ago.
    await owner()`
      insert into audit_events (tenant_id, at, action, actor_kind, actor_id, address)
      select ${tenantId}, now() - interval '3 days' - make_interval(mins => g), 'session.signed_in', 'user', ${agent.id}, '10.0.0.7'
        from generate_series(1, 60) g`;
    await owner()`
      insert into audit_events (tenant_id, at, action, actor_kind, target_kind, target_id, address)
      values (${tenantId}, now() - interval '10 days', 'session.sign_in_failed', 'anonymous', 'user', ${agent.id}, '203.0.113.9')`;
  });

  it('shows the log newest first, in words, by page and filtered, by keyboard and without axe violations', async () => {
    const page = await openSignedIn(browser, web, admin);
    // From the app bar by keyboard.
    await page.getByTestId('nav-audit').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/audit$/);
    await page.getByTestId('audit-entry').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Newest first: Bea's own sign-in just now, then Ana's; fifty a page.
    const first = await rows(page);
    expect(first).toHaveLength(50);
    expect(first[0]).toEqual(['Signed in', 'Bea Boss', '', '127.0.0.1']);
    expect(first[1]).toEqual(['Signed in', 'Ana Agent', '', '10.0.0.7']);

    await page.getByTestId('audit-older').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('audit-page').textContent()).toBe('Page 2');
    const second = await rows(page);
    expect(second).toHaveLength(12);
    expect(second.at(-1)).toEqual(['Failed sign-in', 'Someone not signed in', 'Ana Agent', '203.0.113.9']);
    // The new page has the focus, and there is nothing older.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('audit-results');
    expect(await page.getByTestId('audit-older').isDisabled()).toBe(true);
    await page.getByTestId('audit-newer').click();
    await expect.poll(() => page.getByTestId('audit-page').textContent()).toBe('Page 1');

    // Only failed sign-ins, chosen and shown by keyboard.
    await page.getByTestId('audit-action').focus();
    await page.getByTestId('audit-action').selectOption({ label: 'Failed sign-in' });
    await page.getByTestId('audit-apply').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await rows(page)).length).toBe(1);
    expect(await rows(page)).toEqual([['Failed sign-in', 'Someone not signed in', 'Ana Agent', '203.0.113.9']]);
    expect(await axeViolations(page)).toEqual([]);

    // Only Ana's doing, between eleven and nine days ago: nothing; from four days ago on: her sixty.
    await page.getByTestId('audit-action').selectOption('');
    await page.getByTestId('audit-actor').selectOption({ label: 'Ana Agent' });
    await page.getByTestId('audit-since').fill(day(11 * DAY));
    await page.getByTestId('audit-until').fill(day(9 * DAY));
    await page.getByTestId('audit-apply').click();
    await page.getByTestId('audit-empty').waitFor();
    await page.getByTestId('audit-since').fill(day(4 * DAY));
    await page.getByTestId('audit-until').fill(day(0));
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => (await rows(page)).length).toBe(50);
    expect(new Set((await rows(page)).map((r) => r.join('|')))).toEqual(new Set(['Signed in|Ana Agent||10.0.0.7']));
    expect(await page.getByTestId('audit-older').isDisabled()).toBe(false);

    // A "To" before the "From" is refused in words.
    await page.getByTestId('audit-until').fill(day(6 * DAY));
    await page.getByTestId('audit-apply').click();
    await page.getByRole('alert').filter({ hasText: 'The “To” date is before the “From” date.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('audit-clear').click();
    await expect.poll(async () => (await rows(page))[0]).toEqual(['Signed in', 'Bea Boss', '', '127.0.0.1']);
    await page.close();
  }, 120_000);

  it('gives agents no link and no entries', async () => {
    const page = await openSignedIn(browser, web, agent);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.goto(`${web.url}/audit`);
    await page.getByText('Only admins read the audit log.').waitFor();
    expect(await page.getByTestId('audit-entry').count()).toBe(0);
    await page.close();
  }, 60_000);
});
