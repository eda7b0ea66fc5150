// A person's own account page (/me): their name, their password and the browsers they are signed in
// on. Real Postgres, the real api, the built dashboard on its production server, and Chromium.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard, submitSignIn } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

describe('your account page', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let agent: SeededUser;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await startDashboard();
    ({ api, web, browser } = dashboard);
  });
  afterAll(() => dashboard?.stop());
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    agent = await seedUser(tenantId, { email: 'dana@acme.test', name: 'Dana', role: 'agent' });
  });

  async function openMe(page: Page): Promise<void> {
    await page.getByTestId('nav-me').click();
    await page.waitForURL(/\/me$/);
    await page.getByTestId('session').first().waitFor();
  }

  it('renames the person, and ends a session on another browser', async () => {
    const elsewhere = await openSignedIn(browser, web, agent);
    const page = await openSignedIn(browser, web, agent);
    await openMe(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
    expect(await page.getByTestId('me-email').textContent()).toBe('dana@acme.test');
    expect(await axeViolations(page)).toEqual([]);

    // By keyboard: the name field, then Enter saves; the header follows.
    await page.getByTestId('me-name').fill('Dana Levi');
    await page.getByTestId('me-name').press('Enter');
    await page.getByTestId('me-saved').getByText('Saved.').waitFor();
    expect(await page.getByTestId('nav-me').textContent()).toBe('Dana Levi');
    const [row] = await owner()<{ name: string }[]>`select name from users where id = ${agent.id}`;
    expect(row!.name).toBe('Dana Levi');

    // Two browsers: this one marked and not endable, the other ended from here.
    expect(await page.getByTestId('session').count()).toBe(2);
    expect(await page.locator('[data-testid="session"][data-current="true"] [data-testid="end-session"]').count()).toBe(0);
    await page.locator('[data-testid="session"][data-current="false"] [data-testid="end-session"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
    await elsewhere.reload();
    await elsewhere.getByTestId('sign-in-form').waitFor();
    await elsewhere.close();
    await page.close();
  });

  it('changes the password: a wrong current one is refused in words, the right one ends the other sessions', async () => {
    const elsewhere = await openSignedIn(browser, web, agent);
    const page = await openSignedIn(browser, web, agent);
    await openMe(page);

    await page.getByTestId('current-password').fill('not my password');
    await page.getByTestId('new-password').fill('a new long password');
    await page.getByTestId('confirm-password').fill('a new long password');
    await page.getByTestId('change-password').click();
    expect(await page.getByTestId('password-error').textContent()).toBe('Your current password is wrong.');

    // Too short and not the same twice: said at once, nothing sent.
    await page.getByTestId('current-password').fill(agent.password);
    await page.getByTestId('new-password').fill('short');
    await page.getByTestId('confirm-password').fill('shorter');
    await page.getByTestId('change-password').click();
    expect(await page.locator('#me-new-help').textContent()).toBe('Use at least 10 characters.');
    expect(await page.locator('#me-confirm-error').textContent()).toBe('The two new passwords are not the same.');

    await page.getByTestId('new-password').fill('a new long password');
    await page.getByTestId('confirm-password').fill('a new long password');
    await page.getByTestId('change-password').click();
    await page.getByTestId('password-changed').getByText('Your password is changed. 1 other session was ended.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);

    await elsewhere.reload();
    await elsewhere.getByTestId('sign-in-form').waitFor();
    await submitSignIn(elsewhere, { email: agent.email, password: 'a new long password' });
    await elsewhere.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
    await elsewhere.close();
    await page.close();
  });
});
