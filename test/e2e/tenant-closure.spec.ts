// Tenant closure in the dashboard: an operator signs in, finds the tenant on /operator and closes it by
// keyboard with a grace period (a period out of bounds is refused at its field), and can reopen it. The
// closed tenant's people see a banner with the deletion date on every page; admins get "Export
// everything", whose link downloads the zip of the tenant's data. Every state passes axe. Real Postgres,
// the real api, the built dashboard on its production server, and Chromium.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { freePort } from '@switchboard/db/embedded';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { ingest, owner, resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi, type SeededUser } from '../support/stack.ts';
import { buildWeb, launchChromium, openSignedIn, startWeb, submitSignIn, type RunningWeb } from '../support/web.ts';
import { devTenantBody } from '../support/webhooks.ts';
import { axeViolations } from '../support/axe.ts';

const OPERATOR = { email: 'ops@switchboard.test', password: 'operator passphrase 1' };
const CUSTOMER = { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' };

describe('closing a tenant in the dashboard', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let blobDir: string;
  let admin: SeededUser;
  let agent: SeededUser;
  let tenantId: string;

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-closure-e2e-'));
    const [webPort, apiPort] = await Promise.all([freePort(), freePort(), buildWeb()]);
    const webUrl = `http://127.0.0.1:${webPort}`;
    api = await startApi({ port: apiPort, allowedOrigins: [webUrl], dashboardUrl: webUrl, runJobs: false, blobStore: { kind: 'local', dir: blobDir } });
    web = await startWeb({ port: webPort, apiUrl: api.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await rm(blobDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    await owner()`insert into operators (email, name, password_hash) values (${OPERATOR.email}, 'Platform Ops', ${await hashPassword(OPERATOR.password)})`;
    const body = devTenantBody(CUSTOMER, [textMessage({ from: CUSTOMER, id: 'wamid.e2e-closure', timestamp: String(Math.floor(Date.now() / 1000)), body: 'One flat white, please' })]);
    expect((await ingest(api.ingestUrl, [body])).results.map((r) => r.status)).toEqual(['committed']);
  });

  it('lets an operator create a tenant whose admin signs in with the password shown once; a bad email is refused in words', async () => {
    const page = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await page.goto(web.url);
    await submitSignIn(page, OPERATOR);
    await page.waitForURL(/\/operator$/);
    await page.getByTestId('tenant-row').first().waitFor();

    await page.getByTestId('create-tenant').click();
    expect(await page.getByTestId('create-tenant-form').getByText("Enter the business's name.").count()).toBe(1);
    await page.getByTestId('tenant-name-input').fill('Brisa Bakery');
    await page.getByTestId('admin-name-input').fill('Bruno');
    await page.getByTestId('admin-email-input').fill('bruno at brisa');
    await page.getByTestId('create-tenant').click();
    expect(await page.getByTestId('create-tenant-error').textContent()).toBe('Enter a valid email address.');
    expect(await page.getByTestId('tenant-name-input').inputValue()).toBe('Brisa Bakery');

    await page.getByTestId('admin-email-input').fill('bruno@brisa.test');
    await page.getByTestId('create-tenant').click();
    await page.getByTestId('tenant-handover').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tenant-handover');
    const password = await page.getByTestId('admin-password').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.getByTestId('tenant-row').filter({ hasText: 'Brisa Bakery' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await owner()`select t.name, d.name as department from tenants t join departments d on d.tenant_id = t.id where t.name = 'Brisa Bakery'`).toEqual([
      { name: 'Brisa Bakery', department: 'Support' },
    ]);

    // The new admin signs in with it and lands in their own business.
    const bruno = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await bruno.goto(web.url);
    await submitSignIn(bruno, { email: 'bruno@brisa.test', password });
    await bruno.getByTestId('tenant-name').getByText('Brisa Bakery').waitFor();
    await Promise.all([page.close(), bruno.close()]);
  });

  it('lets an operator close a tenant by keyboard with a grace period, and reopen it', async () => {
    const page = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await page.goto(web.url);
    await submitSignIn(page, OPERATOR);
    await page.waitForURL(/\/operator$/);
    const row = page.getByTestId('tenant-row').filter({ hasText: 'Acme Coffee' });
    await row.getByTestId('tenant-status').getByText('Active').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await row.getByTestId('close-tenant').focus();
    await page.keyboard.press('Enter');
    const grace = row.getByTestId('grace-days');
    await grace.waitFor();
    expect(await grace.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await grace.inputValue()).toBe('90');
    // 120 days is past the 90-day bound: refused at the field, nothing closed.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('120');
    await page.keyboard.press('Enter');
    await row.getByText('Enter a whole number from 1 to 90.').waitFor();
    expect(await grace.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    expect(await owner()`select closed_at from tenants where id = ${tenantId}`).toEqual([{ closedAt: null }]);

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await row.getByTestId('tenant-status').getByText('Closed').waitFor();
    const [closed] = await owner()<{ purgeAfter: Date }[]>`select purge_after from tenants where id = ${tenantId}`;
    const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(closed!.purgeAfter);
    expect(await page.getByTestId('operator-status').textContent()).toBe(`Acme Coffee is closed; it will be deleted on ${date}.`);
    expect(await row.getByTestId('reopen-tenant').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Enter');
    await row.getByTestId('tenant-status').getByText('Active').waitFor();
    expect(await owner()`select closed_at from tenants where id = ${tenantId}`).toEqual([{ closedAt: null }]);
    expect((await owner()`select action from audit_events where tenant_id = ${tenantId} and action like 'tenant.%' order by at`).map((r) => r.action)).toEqual([
      'tenant.closed',
      'tenant.reopened',
    ]);
    await page.close();
  });

  it("shows a closed tenant's people the banner, and lets its admins download everything", async () => {
    const closeAt = new Date();
    await owner()`update tenants set closed_at = ${closeAt}, purge_after = ${new Date(closeAt.getTime() + 45 * 86_400_000)} where id = ${tenantId}`;
    const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(closeAt.getTime() + 45 * 86_400_000));

    const agentPage = await openSignedIn(browser, web, agent);
    const agentBanner = agentPage.getByTestId('closed-banner');
    await agentBanner.waitFor();
    expect(await agentBanner.getByText(`This account is closed and read-only; it will be deleted on ${date}.`).count()).toBe(1);
    expect(await agentPage.getByTestId('export-everything').count()).toBe(0);
    expect(await axeViolations(agentPage)).toEqual([]);
    await agentPage.close();

    const page = await openSignedIn(browser, web, admin);
    await page.getByTestId('closed-banner').waitFor();
    await page.getByTestId('export-everything').focus();
    await page.keyboard.press('Enter');
    const link = page.getByTestId('export-download');
    await link.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    const files = unzipSync(new Uint8Array(await readFile(file)));
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toMatchObject({ format: 1, tenantId });
    const messages = JSON.parse(strFromU8(files['tables/messages.json']!)) as { text: string }[];
    expect(messages.map((m) => m.text)).toEqual(['One flat white, please']);
    expect(await owner()`select actor_kind, actor_id from audit_events where action = 'tenant.export.downloaded'`).toEqual([{ actorKind: 'user', actorId: admin.id }]);
    await page.close();
  });
});
