// An admin opens Retention from the navigation, sees the policy in force, and changes it by keyboard: a
// period out of bounds is refused with the reason at the field, a good one is saved and recorded in the
// audit log. Agents get no link and no policy. The page passes axe. Real Postgres, the real api, the
// built dashboard on its production server, and Chromium.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { owner, resetDatabase, seedDevTenant, seedUser, type RunningApi, type SeededUser } from '../support/stack.ts';
import { type Dashboard, openSignedIn, type RunningWeb, startDashboard } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

describe('the retention page', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let admin: SeededUser;
  let agent: SeededUser;
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
    admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
  });

  it('shows the policy in force and saves a change made by keyboard, refusing a period out of bounds at its field', async () => {
    const page = await openSignedIn(browser, web, admin);
    await page.getByTestId('nav-retention').click();
    await page.waitForURL(/\/retention$/);
    const messages = page.getByTestId('retention-messagesDays');
    await messages.waitFor();
    const shown = await Promise.all(
      ['messagesDays', 'rawWebhookDays', 'deadLetterDays', 'staffPurgeDays', 'exportDays', 'auditDays', 'analyticsMonths'].map((f) => page.getByTestId(`retention-${f}`).inputValue()),
    );
    expect(shown).toEqual(['90', '7', '30', '30', '7', '365', '24']);
    expect(await axeViolations(page)).toEqual([]);

    // Raw webhooks for 10 days is past the 7-day bound: refused here, focus on the field, nothing saved.
    await page.getByTestId('retention-rawWebhookDays').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('retention-field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Enter a whole number from 1 to 7 days.');
    expect(await page.getByTestId('retention-rawWebhookDays').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('retention-rawWebhookDays').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(await owner()`select count(*)::int as n from retention_policies`).toEqual([{ n: 0 }]);

    // Fixed, and messages kept 30 days: saved, and in the audit log.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('3');
    await messages.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await page.getByTestId('retention-status').getByText('Retention policy saved.').waitFor();
    expect(await page.getByTestId('retention-field-error').count()).toBe(0);
    expect(await owner()`select messages_days, raw_webhook_days from retention_policies where tenant_id = ${tenantId}`).toEqual([{ messagesDays: 30, rawWebhookDays: 3 }]);
    expect(await owner()`select action, actor_kind from audit_events where action = 'retention.updated'`).toEqual([{ action: 'retention.updated', actorKind: 'user' }]);

    // A fresh load shows what was saved.
    await page.reload();
    await messages.waitFor();
    expect(await messages.inputValue()).toBe('30');
    await page.close();
  });

  it('is not offered to agents, and shows them no policy', async () => {
    const page = await openSignedIn(browser, web, agent);
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('nav-retention').count()).toBe(0);
    await page.goto(`${web.url}/retention`);
    await page.getByText('Only admins manage retention.').waitFor();
    expect(await page.getByTestId('retention-form').count()).toBe(0);
    await page.close();
  });
});
