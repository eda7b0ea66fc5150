// The settings pages in Chromium: a manager keeps the tenant's labels and canned responses, each page's
// main action end to end against the real api and Postgres; an agent sees no settings link and gets the
// 403 page at each settings route; a manager gets it at the admins' people page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

describe('settings', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let manager: SeededUser;
  let agent: SeededUser;
  let admin: SeededUser;
  let tenantId: string;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await startDashboard();
    ({ api, web, browser } = dashboard);
  });
  afterAll(() => dashboard?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    manager = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
    agent = await seedUser(tenantId, { email: 'dana@acme.test', name: 'Dana', role: 'agent' });
    admin = await seedUser(tenantId, { email: 'bea@acme.test', name: 'Bea', role: 'admin' });
  });

  /** What the api answers a key: the HTTP status of a small read. */
  async function callWith(secret: string): Promise<number> {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ conversations(first: 1) { edges { node { id } } } }' }),
    });
    return response.status;
  }

  const rowNames = (page: Page) => page.getByTestId('label-row-name').allTextContents();

  it('lets a manager add, rename and delete a label, refusing a taken name in words', async () => {
    const page = await openSignedIn(browser, web, manager);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('nav-settings').click();
    await page.waitForURL(/\/settings\/departments$/);
    await page.getByTestId('settings-nav-labels').click();
    await page.waitForURL(/\/settings\/labels$/);
    expect(await page.getByTestId('settings-nav-people').count()).toBe(0);
    await page.getByTestId('labels-empty').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // By keyboard: the name, then Enter adds.
    await page.getByTestId('label-name').fill('VIP');
    await page.getByTestId('label-name').press('Enter');
    await page.getByTestId('label-row').waitFor();
    await page.getByTestId('label-name').fill('vip');
    await page.getByTestId('label-name').press('Enter');
    expect(await page.getByTestId('label-error').textContent()).toBe('A label with that name already exists.');
    await page.getByTestId('label-name').fill('Billing');
    await page.getByTestId('add-label').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="label-row"]').length === 2);
    expect(await rowNames(page)).toEqual(['Billing', 'VIP']);

    await page.getByRole('button', { name: 'Edit the label VIP' }).click();
    await page.getByTestId('edit-label-name').fill('Key account');
    await page.getByTestId('save-label').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="label-row-name"]')].some((e) => e.textContent === 'Key account'));
    await page.getByRole('button', { name: 'Delete the label Billing' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="label-row"]').length === 1);
    const stored = await owner()<{ name: string }[]>`select name from labels where tenant_id = ${tenantId} order by name`;
    expect(stored.map((l) => l.name)).toEqual(['Key account']);
    await page.close();
  });

  it('lets a manager add, change and delete a canned response, saying a bad shortcut before sending', async () => {
    const page = await openSignedIn(browser, web, manager);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${web.url}/settings/canned-responses`);
    await page.getByTestId('canned-empty').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('canned-shortcut').fill('Thanks!');
    await page.getByTestId('canned-title').fill('Thank you');
    await page.getByTestId('canned-body').fill('Thank you for writing to us.');
    await page.getByTestId('save-canned').click();
    expect(await page.getByTestId('canned-shortcut').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('canned-row').count()).toBe(0);

    await page.getByTestId('canned-shortcut').fill('thanks');
    await page.getByTestId('save-canned').click();
    await page.getByTestId('canned-row').waitFor();
    expect(await page.getByTestId('canned-shortcut').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Edit /thanks' }).click();
    expect(await page.getByTestId('canned-body').inputValue()).toBe('Thank you for writing to us.');
    await page.getByTestId('canned-title').fill('Thanks, warmly');
    await page.getByTestId('save-canned').click();
    await page.getByTestId('canned-row-title').getByText('Thanks, warmly').waitFor();
    const [stored] = await owner()<{ title: string; shortcut: string }[]>`select title, shortcut from canned_responses where tenant_id = ${tenantId}`;
    expect(stored).toEqual({ title: 'Thanks, warmly', shortcut: 'thanks' });

    await page.getByRole('button', { name: 'Delete /thanks' }).click();
    await page.getByTestId('canned-empty').waitFor();
    expect(await owner()`select 1 from canned_responses where tenant_id = ${tenantId}`).toHaveLength(0);
    await page.close();
  });

  it('lets an admin create a key whose secret is shown once and works, change its scopes, and revoke it', async () => {
    const page = await openSignedIn(browser, web, admin);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${web.url}/settings/people`);
    await page.getByTestId('settings-nav-apiKeys').click();
    await page.waitForURL(/\/settings\/api-keys$/);
    await page.getByTestId('add-api-key-form').waitFor();

    // Nothing named and no scope: both said at their fields, nothing made.
    await page.getByTestId('api-key-scope-READ').uncheck();
    await page.getByTestId('create-api-key').click();
    expect(await page.locator('#api-key-name-error').textContent()).toBe('Say what the key is for.');
    expect(await page.locator('#api-key-scopes-error').textContent()).toBe('Give the key at least one scope.');

    await page.getByTestId('api-key-name').fill('CRM sync');
    await page.getByTestId('api-key-scope-READ').check();
    await page.getByTestId('api-key-scope-SEND').check();
    await page.getByTestId('create-api-key').click();
    const secret = await page.getByTestId('api-key-secret').inputValue();
    expect(secret).toMatch(/^sb_/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('api-key-secret-panel');
    expect(await axeViolations(page)).toEqual([]);
    expect(await callWith(secret)).toBe(200);

    const row = page.locator('[data-testid="api-key-row"]', { has: page.getByText('CRM sync', { exact: true }) });
    await row.getByTestId('row-scope-SEND').uncheck();
    await row.getByTestId('save-scopes').click();
    await row.getByTestId('save-scopes').waitFor({ state: 'detached' });
    const [stored] = await owner()<{ scopes: string[] }[]>`select scopes from api_keys where tenant_id = ${tenantId} and name = 'CRM sync'`;
    expect(stored!.scopes.map((scope) => scope.toUpperCase())).toEqual(['READ']);

    // Gone from the page for good: the secret is not shown again after a reload.
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    await row.getByTestId('revoke-api-key').click();
    await row.waitFor({ state: 'detached' });
    expect(await callWith(secret)).toBe(401);
    await page.getByTestId('show-revoked-keys').check();
    await page.locator('[data-testid="api-key-row"][data-active="false"]', { has: page.getByText('CRM sync', { exact: true }) }).waitFor();
    await page.close();
  });

  it("lets an admin rename the business and set its time zone; the header follows, it holds after a reload, and dates are read in it", async () => {
    const page = await openSignedIn(browser, web, admin);
    await page.getByTestId('nav-settings').click();
    await page.waitForURL(/\/settings\/account$/);
    expect(await page.getByTestId('account-time-zone').inputValue()).toBe('UTC');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('account-name').fill('   ');
    await page.getByTestId('account-save').click();
    expect(await page.locator('#account-name-error').textContent()).toBe("Enter the business's name.");

    await page.getByTestId('account-name').fill('Acme Roasters');
    await page.getByTestId('account-time-zone').selectOption('Europe/Madrid');
    await page.getByTestId('account-save').click();
    await page.getByTestId('account-saved').getByText('Saved.').waitFor();
    expect(await page.getByTestId('tenant-name').textContent()).toBe('Acme Roasters');
    expect(await owner()`select name, time_zone from tenants where id = ${tenantId}`).toEqual([{ name: 'Acme Roasters', timeZone: 'Europe/Madrid' }]);

    await page.reload();
    await page.getByTestId('account-form').waitFor();
    expect(await page.getByTestId('account-time-zone').inputValue()).toBe('Europe/Madrid');
    expect(await page.getByTestId('account-name').inputValue()).toBe('Acme Roasters');

    // The business's zone, not the browser's (UTC here): analytics asks for Madrid's days, from Madrid's midnight.
    const asked = page.waitForRequest((request) => request.method() === 'POST' && (request.postData() ?? '').includes('query Analytics'));
    await page.goto(`${web.url}/analytics?range=today`);
    const { input } = (JSON.parse((await asked).postData()!) as { variables: { input: { timeZone: string; from: string } } }).variables;
    expect(input.timeZone).toBe('Europe/Madrid');
    const madridMidnight = new Date(input.from);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(madridMidnight)).toBe('00:00');
    expect(madridMidnight.getUTCHours()).not.toBe(0);
    await page.close();
  });

  it('lets an admin add and change a department, its members and their capacity, and a manager change its members only', async () => {
    const page = await openSignedIn(browser, web, admin);
    await page.goto(`${web.url}/settings/departments`);
    await page.getByTestId('departments-empty').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('department-name').fill('Billing');
    await page.getByTestId('department-strategy').selectOption('BALANCED');
    await page.getByTestId('department-auto-assign').uncheck();
    await page.getByTestId('add-department').click();
    await page.getByTestId('department').waitFor();
    expect(await page.getByTestId('department-settings').textContent()).toContain('Balanced (fewest open)');
    // A taken name is refused in words, and what was written stays to be corrected.
    await page.getByTestId('department-name').fill('Billing');
    await page.getByTestId('add-department').click();
    expect(await page.getByTestId('department-error').textContent()).toBe('A department with that name exists.');
    expect(await page.getByTestId('department-name').inputValue()).toBe('Billing');

    await page.getByRole('button', { name: 'Edit Billing' }).click();
    await page.getByTestId('edit-department-name').fill('Billing and refunds');
    await page.getByTestId('edit-department-strategy').selectOption('ROUND_ROBIN');
    await page.getByTestId('edit-department-auto-assign').check();
    await page.getByTestId('edit-department-default').check();
    await page.getByTestId('save-department').click();
    await page.getByTestId('department-is-default').waitFor();
    expect(await page.getByTestId('department-title').textContent()).toBe('Billing and refunds');
    expect(await owner()`select name, strategy, auto_assign, is_default from departments where tenant_id = ${tenantId}`).toEqual([
      { name: 'Billing and refunds', strategy: 'round_robin', autoAssign: true, isDefault: true },
    ]);

    await page.getByTestId('add-member-select').selectOption({ label: 'Dana' });
    await page.getByTestId('add-member').click();
    await page.getByTestId('department-member').waitFor();
    expect(await page.getByTestId('member-name').allTextContents()).toEqual(['Dana']);
    await page.getByTestId('member-capacity').fill('2000');
    await page.getByTestId('save-capacity').click();
    expect(await page.getByTestId('capacity-error').textContent()).toBe('Capacity is a whole number from 0 to 1000.');
    await page.getByTestId('member-capacity').fill('3');
    await page.getByTestId('member-capacity').press('Enter');
    await page.getByTestId('departments-status').getByText('Dana now takes up to 3 conversations at once.').waitFor({ state: 'attached' });
    expect(await owner()`select capacity from users where id = ${agent.id}`).toEqual([{ capacity: 3 }]);
    expect(await page.getByTestId('capacity-error').count()).toBe(0);
    await page.close();

    // A manager changes who is in it, but neither its settings nor anyone's capacity.
    const managing = await openSignedIn(browser, web, manager);
    await managing.goto(`${web.url}/settings/departments`);
    await managing.getByTestId('department-member').waitFor();
    expect(await managing.getByTestId('add-department-form').count()).toBe(0);
    expect(await managing.getByTestId('edit-department').count()).toBe(0);
    expect(await managing.getByTestId('member-capacity-text').textContent()).toBe('capacity 3');
    await managing.getByRole('button', { name: 'Remove Dana from Billing and refunds' }).click();
    await managing.getByTestId('department-no-members').waitFor();
    await managing.getByTestId('add-member-select').selectOption({ label: 'Maya' });
    await managing.getByTestId('add-member').click();
    await managing.getByTestId('department-member').waitFor();
    const members = await owner()<{ name: string }[]>`
      select u.name from department_members m join users u on u.id = m.user_id where m.tenant_id = ${tenantId}`;
    expect(members.map((m) => m.name)).toEqual(['Maya']);
    expect(await axeViolations(managing)).toEqual([]);
    await managing.close();
  });

  it("lets an admin change a person's role and capacity, end their sessions, and deactivate and reactivate them", async () => {
    const dana = await openSignedIn(browser, web, agent);
    const page = await openSignedIn(browser, web, admin);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${web.url}/settings/people`);
    const row = page.locator(`[data-testid="person"]`, { hasText: 'dana@acme.test' });
    await row.waitFor();
    // Not oneself: one's own row has no controls.
    expect(await page.locator(`[data-testid="person"]`, { hasText: 'bea@acme.test' }).getByTestId('manage-person').count()).toBe(0);

    await row.getByTestId('manage-person').click();
    expect(await row.getByTestId('manage-person').getAttribute('aria-expanded')).toBe('true');
    await row.getByTestId('person-role-select').selectOption('MANAGER');
    await row.getByTestId('person-capacity').fill('2000');
    await row.getByTestId('save-person').click();
    expect(await row.getByTestId('person-error').textContent()).toBe('Capacity is a whole number from 0 to 1000.');
    await row.getByTestId('person-capacity').fill('4');
    await row.getByTestId('person-capacity').press('Enter');
    await row.getByTestId('person-summary').getByText('Manager · capacity 4').waitFor();
    expect(await owner()`select role, capacity from users where id = ${agent.id}`).toEqual([{ role: 'manager', capacity: 4 }]);
    expect(await axeViolations(page)).toEqual([]);

    // Where she is signed in, and ending it: her open dashboard goes back to sign-in.
    await row.getByTestId('show-sessions').click();
    await row.getByTestId('person-session').waitFor();
    expect(await row.getByTestId('person-session').count()).toBe(1);
    await row.getByTestId('end-sessions').click();
    await page.getByTestId('people-status').getByText('Ended 1 session of Dana.').waitFor({ state: 'attached' });
    expect(await owner()`select count(*)::int as open from sessions where user_id = ${agent.id} and revoked_at is null`).toEqual([{ open: 0 }]);
    await dana.getByTestId('sign-in-form').waitFor();

    await row.getByTestId('deactivate-person').click();
    await row.getByTestId('person-summary').getByText('Deactivated', { exact: false }).waitFor();
    expect(await owner()`select deactivated_at is not null as deactivated from users where id = ${agent.id}`).toEqual([{ deactivated: true }]);
    await row.getByTestId('reactivate-person').click();
    await row.getByTestId('person-role-select').waitFor();
    expect(await row.getByTestId('person-summary').textContent()).toBe('Manager · capacity 4');
    expect(await owner()`select deactivated_at is not null as deactivated from users where id = ${agent.id}`).toEqual([{ deactivated: false }]);
    await Promise.all([page.close(), dana.close()]);
  });

  it('gives an agent no settings link and the 403 page at every settings route, and a manager 403 at the admins\' pages', async () => {
    const page = await openSignedIn(browser, web, agent);
    expect(await page.getByTestId('nav-settings').count()).toBe(0);
    expect(await page.getByTestId('nav-people').count()).toBe(0);
    for (const route of ['/settings', '/settings/account', '/settings/people', '/settings/departments', '/settings/numbers', '/settings/templates', '/settings/labels', '/settings/canned-responses', '/settings/api-keys']) {
      await page.goto(`${web.url}${route}`);
      await page.getByTestId('forbidden').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page is not for your role');
      expect(await page.getByTestId('add-label-form').count()).toBe(0);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.close();

    const managing = await openSignedIn(browser, web, manager);
    for (const route of ['/settings/people', '/settings/account', '/settings/api-keys']) {
      await managing.goto(`${web.url}${route}`);
      await managing.getByTestId('forbidden').waitFor();
    }
    expect(await managing.getByTestId('settings-nav-labels').count()).toBe(0);
    await managing.close();
  });
});
