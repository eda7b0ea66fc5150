// Two-factor sign-in in the dashboard: a person sets up an authenticator app from /me (the test reads
// the key from the page, as someone typing it into an app would, and makes the codes with otplib), then
// signs in with a code and with a recovery code; a tenant that requires it sends a person to /me first;
// an admin turns the requirement on. Real Postgres, the real api, the built dashboard on its production
// server, and Chromium; axe on the enrolment and second-step screens in English and Hebrew.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '@switchboard/db/embedded';
import { axeViolations } from '../support/axe.ts';
import { owner, resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi, type SeededUser } from '../support/stack.ts';
import { totpCode } from '../support/totp.ts';
import { buildWeb, launchChromium, openSignedIn, startWeb, submitSignIn, type RunningWeb } from '../support/web.ts';

describe('two-factor sign-in in the dashboard', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let tenantId: string;
  let agent: SeededUser;

  beforeAll(async () => {
    const [webPort, apiPort] = await Promise.all([freePort(), freePort(), buildWeb()]);
    const webUrl = `http://127.0.0.1:${webPort}`;
    api = await startApi({ port: apiPort, allowedOrigins: [webUrl], dashboardUrl: webUrl, runJobs: false });
    web = await startWeb({ port: webPort, apiUrl: api.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    agent = await seedUser(tenantId, { email: 'dana@acme.test', name: 'Dana', role: 'agent' });
  });

  const live = (page: Page) => page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();

  /** From /me's section: start, read the key off the page, confirm with a code; answers the key and the recovery codes. */
  async function enrol(page: Page, { checkA11y }: { checkA11y: boolean }): Promise<{ secret: string; recoveryCodes: string[] }> {
    await page.getByTestId('two-factor-start').click();
    await page.getByTestId('two-factor-qr').waitFor();
    expect(await page.getByTestId('two-factor-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    const secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    if (checkA11y) expect(await axeViolations(page)).toEqual([]);

    // A wrong code is refused in words, and the focus stays in the field; the right one by keyboard (Enter).
    await page.getByTestId('two-factor-code').fill((await totpCode(secret)) === '000000' ? '111111' : '000000');
    await page.getByTestId('two-factor-code').press('Enter');
    await page.getByTestId('two-factor-error').waitFor();
    await page.getByTestId('two-factor-code').fill(await totpCode(secret));
    await page.getByTestId('two-factor-code').press('Enter');
    await page.getByTestId('recovery-codes').waitFor();
    const recoveryCodes = await page.getByTestId('recovery-code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    if (checkA11y) expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('recovery-done').click();
    return { secret, recoveryCodes };
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
  }

  it('enrols from /me, then signs in with a code and, once, with a recovery code', async () => {
    const page = await openSignedIn(browser, web, agent);
    await page.getByTestId('nav-me').click();
    await page.waitForURL(/\/me$/);
    expect(await page.getByTestId('two-factor-state').textContent()).toContain('Off.');
    const { secret, recoveryCodes } = await enrol(page, { checkA11y: true });
    expect(await page.getByTestId('two-factor-done').textContent()).toBe('Two-factor sign-in is on.');
    expect(await page.getByTestId('two-factor-state').textContent()).toContain('On.');
    // The page showed nothing the database keeps in the clear.
    const [stored] = await owner()<{ secretSealed: string }[]>`select secret_sealed from user_totp where user_id = ${agent.id} and enabled_at is not null`;
    expect(stored!.secretSealed).not.toContain(secret);

    // Signing in now takes a second step: the code field is made for one-time codes.
    await signOut(page);
    await submitSignIn(page, agent);
    const code = page.getByTestId('sign-in-code');
    await code.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Two-factor sign-in');
    expect([await code.getAttribute('autocomplete'), await code.getAttribute('inputmode')]).toEqual(['one-time-code', 'numeric']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sign-in-code');
    expect(await axeViolations(page)).toEqual([]);
    await code.fill('123 456');
    await code.press('Enter');
    expect(await page.getByTestId('sign-in-error').textContent()).toBe('That code is wrong, expired or was already used. Enter the newest code from your app.');
    expect(await axeViolations(page)).toEqual([]);
    await code.fill(await totpCode(secret, 1));
    await code.press('Enter');
    await live(page);

    // And with a recovery code, which then is used up.
    await signOut(page);
    await submitSignIn(page, agent);
    await page.getByTestId('sign-in-code-kind').click();
    expect(await page.getByText('Recovery code', { exact: true }).count()).toBe(1);
    await page.getByTestId('sign-in-code').fill(recoveryCodes[4]!);
    await page.getByTestId('sign-in-code-button').click();
    await live(page);
    const used = await owner()<{ n: number }[]>`select count(*)::int as n from recovery_codes where user_id = ${agent.id} and used_at is not null`;
    expect(used[0]!.n).toBe(1);

    await signOut(page);
    await submitSignIn(page, agent);
    await page.getByTestId('sign-in-code-kind').click();
    await page.getByTestId('sign-in-code').fill(recoveryCodes[4]!);
    await page.getByTestId('sign-in-code-button').click();
    expect(await page.getByTestId('sign-in-error').textContent()).toBe('That recovery code is wrong or was already used.');
    await page.close();
  });

  it('in Hebrew, sends a person whose tenant requires it to /me first, and asks for the code right to left', async () => {
    await owner()`update tenants set require_two_factor = true where id = ${tenantId}`;
    await owner()`update users set language = 'he' where id = ${agent.id}`;
    const page = await browser.newPage({ locale: 'he-IL', timezoneId: 'UTC' });
    await page.goto(web.url);
    await submitSignIn(page, agent);
    await page.waitForURL(/\/me(#two-factor)?$/);
    await page.getByTestId('two-factor-required').waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    expect(await page.locator('#two-factor-title').textContent()).toBe('כניסה בשני שלבים');
    expect(await axeViolations(page)).toEqual([]);
    // Going elsewhere brings them back until they have enrolled.
    await page.goto(`${web.url}/settings`);
    await page.waitForURL(/\/me(#two-factor)?$/);

    const { secret } = await enrol(page, { checkA11y: true });
    expect(await page.getByTestId('two-factor-required').count()).toBe(0);
    await signOut(page);
    await submitSignIn(page, agent);
    await page.getByTestId('sign-in-code').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('כניסה בשני שלבים');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('sign-in-code').fill(await totpCode(secret, 1));
    await page.getByTestId('sign-in-code').press('Enter');
    await live(page);
    await page.close();
  });

  it('lets an admin require it for everyone from the account settings', async () => {
    const admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea', role: 'admin' });
    const page = await openSignedIn(browser, web, admin);
    await page.goto(`${web.url}/settings/account`);
    await page.getByTestId('account-require-two-factor').check();
    await page.getByTestId('account-save').click();
    // The admin has not enrolled either: the dashboard takes them to do it.
    await page.waitForURL(/\/me(#two-factor)?$/);
    await page.getByTestId('two-factor-required').waitFor();
    const [tenant] = await owner()<{ requireTwoFactor: boolean }[]>`select require_two_factor from tenants where id = ${tenantId}`;
    expect(tenant!.requireTwoFactor).toBe(true);
    await page.close();
  });
});
