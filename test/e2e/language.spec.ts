// The dashboard's language: the first visit follows Accept-Language from the server's first byte
// (<html lang dir>); a person chooses another in the header, it is stored on them and remembered by the
// browser, and Hebrew and Arabic lay out right to left. Real Postgres, the real api, the built dashboard
// on its production server, and Chromium.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard, submitSignIn } from '../support/web.ts';
import { seriousAxeViolations } from '../support/axe.ts';

const htmlAttributes = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe('the dashboard’s language', () => {
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

  it('sets <html lang dir> on the server’s first byte, from Accept-Language and then from the cookie', async () => {
    const first = async (headers: Record<string, string>) => {
      const response = await fetch(web.url, { headers });
      expect(response.status).toBe(200);
      return /<html[^>]*>/.exec(await response.text())![0];
    };
    expect(await first({ 'accept-language': 'he-IL,he;q=0.9,en;q=0.5' })).toContain('lang="he" dir="rtl"');
    expect(await first({ 'accept-language': 'ar-AE' })).toContain('lang="ar" dir="rtl"');
    expect(await first({ 'accept-language': 'es-MX,es;q=0.9' })).toContain('lang="es" dir="ltr"');
    // A language we do not have falls back to English.
    expect(await first({ 'accept-language': 'fr-FR' })).toContain('lang="en" dir="ltr"');
    // The chosen language beats the browser's.
    expect(await first({ 'accept-language': 'es', cookie: 'switchboard_language=he' })).toContain('lang="he" dir="rtl"');
  });

  it('greets a first visit in the browser’s language', async () => {
    const page = await browser.newPage({ locale: 'es-ES', timezoneId: 'UTC' });
    await page.goto(web.url);
    await page.getByTestId('sign-in-form').waitFor();
    expect(await htmlAttributes(page)).toEqual({ lang: 'es', dir: 'ltr' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inicia sesión en Switchboard');
    expect(await page.getByTestId('language-picker').inputValue()).toBe('es');
    await page.close();
  });

  it('switches a signed-in person to Hebrew: right to left, translated, stored on them, and kept across a reload and a new browser', async () => {
    const page = await openSignedIn(browser, web, agent);
    expect(await page.locator('#inbox-title').textContent()).toBe('Conversations');
    // The picker is labelled in the current language.
    expect(await page.getByLabel('Language').count()).toBe(1);

    await page.getByTestId('language-picker').selectOption('he');
    await page.waitForFunction(() => document.documentElement.lang === 'he');
    await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
    expect(await htmlAttributes(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.locator('#inbox-title').textContent()).toBe('שיחות');
    expect(await page.getByTestId('sign-out').textContent()).toContain('יציאה');
    expect(await page.getByLabel('שפה').count()).toBe(1);
    const [stored] = await owner()<{ language: string | null }[]>`select language from users where id = ${agent.id}`;
    expect(stored!.language).toBe('he');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.reload();
    await page.locator('#inbox-title').waitFor();
    expect(await htmlAttributes(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.locator('#inbox-title').textContent()).toBe('שיחות');

    // Signed out, the sign-in page stays in Hebrew (the cookie).
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('כניסה ל-Switchboard');
    expect(await htmlAttributes(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();

    // Another browser, in English: signing in brings the person's language with them.
    const elsewhere = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    await elsewhere.goto(web.url);
    await elsewhere.getByTestId('sign-in-form').waitFor();
    expect(await htmlAttributes(elsewhere)).toEqual({ lang: 'en', dir: 'ltr' });
    await submitSignIn(elsewhere, agent);
    await elsewhere.waitForFunction(() => document.documentElement.lang === 'he');
    await elsewhere.locator('#inbox-title').waitFor();
    expect(await elsewhere.locator('#inbox-title').textContent()).toBe('שיחות');
    expect(await htmlAttributes(elsewhere)).toEqual({ lang: 'he', dir: 'rtl' });
    await elsewhere.close();
  });
});
