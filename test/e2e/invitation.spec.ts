// An admin adds a person in the dashboard and hands over the invitation link; the person opens it in
// their own browser, sets a password by keyboard and lands signed in. The link works once. Both pages
// pass axe. Real Postgres, the real api, the built dashboard on its production server, and Chromium.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

describe('joining by invitation in the dashboard', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let admin: SeededUser;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await startDashboard();
    ({ api, web, browser } = dashboard);
  });
  afterAll(() => dashboard?.stop());
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
  });

  it('lets an admin add a person whose link, opened elsewhere, sets their password and signs them in, once', async () => {
    const adminPage = await openSignedIn(browser, web, admin);
    await adminPage.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
    await adminPage.getByTestId('nav-people').click();
    await adminPage.waitForURL(/\/people$/);
    await adminPage.getByTestId('person').first().waitFor();
    expect(await axeViolations(adminPage)).toEqual([]);

    // By keyboard: email, name, role, then Enter submits.
    await adminPage.getByTestId('person-email').focus();
    await adminPage.keyboard.type('Nia@Acme.test');
    await adminPage.keyboard.press('Tab');
    await adminPage.keyboard.type('Nia Nkosi');
    await adminPage.keyboard.press('Tab');
    await adminPage.keyboard.press('ArrowDown'); // Agent → Manager
    await adminPage.getByTestId('person-email').focus();
    await adminPage.keyboard.press('Enter');

    const panel = adminPage.getByTestId('invitation-link-panel');
    await panel.waitFor();
    // Focus moves to the new link, so a keyboard user lands on it.
    expect(await panel.evaluate((el) => el === document.activeElement)).toBe(true);
    const url = await adminPage.getByTestId('invitation-link').inputValue();
    expect(url).toMatch(new RegExp(`^${web.url}/invite/sbi_[A-Za-z0-9_-]{43}$`));
    await adminPage.getByTestId('copy-invitation-link').click();
    await panel.getByText('Link copied.').waitFor();
    expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(await adminPage.locator('[data-testid="person"] .email').allTextContents()).toEqual(['boss@acme.test', 'nia@acme.test']);
    expect(await owner()`select role, password_hash from users where email = 'nia@acme.test'`).toEqual([{ role: 'manager', passwordHash: null }]);
    expect(await axeViolations(adminPage)).toEqual([]);

    // The invitee, in a browser of their own (no session).
    const invitee = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await invitee.goto(url);
    await invitee.getByTestId('invite-form').waitFor();
    expect(await invitee.getByTestId('invite-email').textContent()).toBe('nia@acme.test');
    expect(await invitee.getByRole('heading', { level: 1 }).textContent()).toBe('Set your password');
    expect(await axeViolations(invitee)).toEqual([]);

    // Too short first: refused on the page, nothing sent.
    await invitee.getByTestId('invite-password').focus();
    await invitee.keyboard.type('short');
    await invitee.keyboard.press('Enter');
    await invitee.getByText('Use at least 10 characters.').waitFor();
    await invitee.getByTestId('invite-password').fill('');
    await invitee.getByTestId('invite-password').focus();
    await invitee.keyboard.type('nia chose this herself');
    await invitee.keyboard.press('Tab');
    await invitee.keyboard.type('nia chose this herself');
    await invitee.keyboard.press('Enter');

    // Signed in, on the inbox, live.
    await invitee.waitForURL(`${web.url}/`);
    await invitee.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
    expect(await invitee.getByTestId('signed-in-as').getAttribute('data-role')).toBe('MANAGER');
    expect(await invitee.locator('[data-testid="signed-in-as"] .name').textContent()).toBe('Nia Nkosi');
    await invitee.reload();
    await invitee.locator('[data-testid="connection-status"][data-status="live"]').waitFor();

    // The link worked once.
    const again = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await again.goto(url);
    await again.getByTestId('invite-invalid').waitFor();
    expect(await again.getByTestId('invite-form').count()).toBe(0);
    expect(await axeViolations(again)).toEqual([]);

    await Promise.all([adminPage.close(), invitee.close(), again.close()]);
  }, 120_000);

  it('gives a person a new link from the people page; the earlier one stops working', async () => {
    const adminPage = await openSignedIn(browser, web, admin);
    await adminPage.getByTestId('nav-people').click();
    await adminPage.getByTestId('person-email').fill('kai@acme.test');
    await adminPage.getByTestId('person-name').fill('Kai');
    await adminPage.getByTestId('add-person').click();
    const first = await adminPage.getByTestId('invitation-link').inputValue();

    const kai = adminPage.locator('[data-testid="person"]', { hasText: 'kai@acme.test' });
    await kai.getByTestId('manage-person').click();
    await kai.getByTestId('reissue-invitation').click();
    await expect.poll(() => adminPage.getByTestId('invitation-link').inputValue()).not.toBe(first);
    const second = await adminPage.getByTestId('invitation-link').inputValue();
    expect(second).toMatch(/\/invite\/sbi_/);

    const invitee = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await invitee.goto(first);
    await invitee.getByTestId('invite-invalid').waitFor();
    await invitee.goto(second);
    expect(await invitee.getByTestId('invite-email').textContent()).toBe('kai@acme.test');
    await Promise.all([adminPage.close(), invitee.close()]);
  }, 120_000);
});
