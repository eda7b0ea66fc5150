// What a customer refused, as an agent sees it in Chromium against the real api, Postgres and the Meta
// sandbox: a restriction applied by a privacy request shows on the conversation's header and aside, and
// the composer says nothing can be sent; lifting it clears the badge live; a withdrawal of consent shows
// and a refused reply says why in words. Every state passes axe (WCAG 2.1 A and AA).
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { objectToProcessing, restrictContact, type AuditActor } from '@switchboard/api/contacts/consent';
import { connect, type Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { owner, subscriptionsAttached, type SeededUser } from '../support/stack.ts';
import { launchChromium, openSignedIn } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };
const actor: AuditActor = { kind: 'system', id: null };
const REQUEST_ID = '7d0c1a52-3f43-4d5e-9a4e-2b1f0c9e8a11';

let desk: Desk;
let browser: Browser;
let app: Sql;
let tenantId: string;
let ana: SeededUser;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'consent-web', web: true });
  browser = await launchChromium();
  app = connect(inject('appUrl'), { max: 2, applicationName: 'consent-web-spec' });
}, 180_000);
afterAll(async () => {
  await app?.end();
  await browser?.close();
  await desk?.stop();
});
beforeEach(async () => {
  ({ tenantId, agent: ana } = await desk.reset());
});

const contactId = async () => (await owner()`select id from contacts where wa_id = ${LINA.waId!}`)[0]!.id as string;
const badges = (page: Page, where: string) => page.locator(`${where} [data-testid="consent-badge"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

/** Signs Ana in, opens Lina's conversation with its aside, and waits until changes reach the page live. */
async function openConversation(): Promise<Page> {
  const before = subscriptionsAttached(desk.api.wsUrl, 'conversationChanged');
  const page = await openSignedIn(browser, desk.web!, ana);
  await page.getByTestId('conversation-item').getByRole('link').click();
  const toggle = page.getByTestId('toggle-notes');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByTestId('consent').waitFor();
  await expect.poll(() => subscriptionsAttached(desk.api.wsUrl, 'conversationChanged'), { timeout: 10_000 }).toBeGreaterThan(before);
  return page;
}

describe('consent in the conversation view', () => {
  it('shows a restriction on the header, the aside and the composer, and clears it live when lifted', async () => {
    await desk.customerWrites(LINA, 'Where is my order?');
    await withTenant(app, tenantId, async (tx) => restrictContact(tx, tenantId, await contactId(), { lift: false, requestId: REQUEST_ID, actor }));
    const page = await openConversation();

    expect(await badges(page, 'header')).toEqual(['restricted']);
    expect(await page.locator('header [data-testid="consent-badge"]').textContent()).toBe(
      'Restricted: Processing restricted at the customer’s request: data kept, nothing sent, no automatic assignment.',
    );
    expect(await badges(page, '[data-testid="consent"]')).toEqual(['restricted']);
    const note = page.locator('[data-testid="composer-refusal"]');
    expect(await note.getAttribute('data-reason')).toBe('restricted');
    expect(await note.textContent()).toBe(
      'This customer asked us to restrict processing of their data: nothing can be sent, and the conversation is not assigned automatically.',
    );
    await page.locator('[data-testid="consent-event"][data-kind="RESTRICTED"]').waitFor();
    expect(await page.getByTestId('consent-event').evaluateAll((els) => els.map((e) => e.textContent?.replace(/\s+/g, ' ').trim().split(',')[0]))).toEqual([
      'Opted in (wrote to us first) by the customer',
      'Processing restricted by a privacy request',
    ]);
    expect(await axeViolations(page)).toEqual([]);

    await withTenant(app, tenantId, async (tx) => restrictContact(tx, tenantId, await contactId(), { lift: true, requestId: REQUEST_ID, actor }));
    await page.locator('header [data-testid="consent-badges"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="consent-event"][data-kind="RESTRICTION_LIFTED"]').waitFor();
    expect(await page.locator('[data-testid="composer-refusal"]').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('shows a consent withdrawal, and a refused reply says why in words and keeps the draft', async () => {
    await desk.customerWrites(LINA, 'Where is my order?');
    await withTenant(app, tenantId, async (tx) => objectToProcessing(tx, tenantId, await contactId(), { kind: 'CONSENT_WITHDRAWAL', lift: false, requestId: REQUEST_ID, actor }));
    const page = await openConversation();

    expect(await badges(page, 'header')).toEqual(['consentWithdrawn', 'optedOut', 'marketingOptedOut']);
    expect(await page.locator('[data-testid="composer-refusal"]').getAttribute('data-reason')).toBe('consent-withdrawn');
    const input = page.getByTestId('composer-input');
    await input.fill('Your order ships today');
    await input.press('Enter');
    const problem = page.getByTestId('composer-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('CONSENT_WITHDRAWN');
    expect(await problem.textContent()).toContain('Not sent: this customer withdrew their consent. You can only reply to a message they write after that.');
    expect(await input.inputValue()).toBe('Your order ships today');
    expect(desk.sandbox.messages().accepted).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
