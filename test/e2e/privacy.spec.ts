// Privacy requests in Chromium against the real api (its job worker running them), Postgres, the Meta
// sandbox and its mail catcher, and the built dashboard. An admin files an erasure from the form by
// keyboard, its typed errors shown at their fields; the request moves to COMPLETED on the page without a
// reload while the conversation leaves the agent's inbox, and an agent's open view of it says it was
// erased. An access request's export downloads as a zip. A request the customer made in WhatsApp waits,
// overdue, until an admin decides; the record of processing counts it and links to it. Every page passes
// axe (WCAG 2.1 A and AA); agents get neither page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { waitForMail } from '../support/mail.ts';
import { owner, seedUser, subscriptionsAttached, type SeededUser } from '../support/stack.ts';
import { bubbleWithText, launchChromium, openSignedIn } from '../support/web.ts';
import { axeViolations } from '../support/axe.ts';

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };
const DAY = 86_400_000;

let desk: Desk;
let browser: Browser;
let tenantId: string;
let ana: SeededUser;
let bea: SeededUser;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'privacy-web', web: true });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});
beforeEach(async () => {
  ({ tenantId, agent: ana } = await desk.reset());
  bea = await seedUser(tenantId, { email: 'bea@acme.test', name: 'Bea Boss', role: 'admin' });
});

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const steps = (page: Page) => page.locator('[data-testid="privacy-detail"] [data-testid="privacy-step"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
const fieldError = (page: Page, field: string) => page.locator(`[data-testid="privacy-field-error"][data-field="${field}"]`);

/** Bea on the Privacy page, reached from the app bar by keyboard. */
async function openPrivacy(): Promise<Page> {
  const page = await openSignedIn(browser, desk.web!, bea);
  await page.getByTestId('nav-privacy').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/privacy$/);
  await page.getByTestId('privacy-form').waitFor();
  return page;
}

describe('the privacy page', () => {
  it('erases a customer from the form by keyboard: the request completes on the page and the conversation leaves the inbox live', async () => {
    await desk.customerWrites(LINA, 'Where is my order?');
    const removedBefore = subscriptionsAttached(desk.api.wsUrl, 'conversationRemoved');
    // Ana's inbox in one tab, and the conversation open in another.
    const inbox = await openSignedIn(browser, desk.web!, ana);
    await inbox.getByTestId('conversation-item').waitFor();
    const conversation = await openSignedIn(browser, desk.web!, ana);
    await conversation.getByTestId('conversation-item').getByRole('link').click();
    await bubbleWithText(conversation, 'Where is my order?').waitFor();
    await expect.poll(() => subscriptionsAttached(desk.api.wsUrl, 'conversationRemoved'), { timeout: 10_000 }).toBeGreaterThanOrEqual(removedBefore + 2);

    const page = await openPrivacy();
    await page.getByTestId('privacy-empty').getByText('No privacy requests yet.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // The form in order by keyboard: kind, who by, who, requester, note, then the button. An erasure
    // asks for no corrected name and offers no lifting.
    await page.getByTestId('privacy-kind').focus();
    await page.getByTestId('privacy-kind').selectOption('ERASURE');
    expect(await page.locator('#privacy-kind-help').textContent()).toBe('Deletes the person’s messages, media and notes and anonymises them. This cannot be undone.');
    expect(await page.getByTestId('privacy-rectified-name').count()).toBe(0);
    expect(await page.getByTestId('privacy-lift').count()).toBe(0);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-subject-type');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-subject');
    await page.keyboard.type(LINA.waId!);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-requester-email');
    await page.keyboard.type('lina@');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-note');
    await page.keyboard.type('Asked by mail on Friday');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-submit');
    await page.keyboard.press('Enter');

    // The api's typed errors, each at its field, which gets the focus.
    await fieldError(page, 'requesterEmail').waitFor();
    expect(await fieldError(page, 'requesterEmail').textContent()).toBe('That is not an email address.');
    expect(await page.getByTestId('privacy-requester-email').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(page)).toBe('privacy-requester-email');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('End');
    await page.keyboard.type('example.com');
    expect(await fieldError(page, 'requesterEmail').count()).toBe(0);
    await page.getByTestId('privacy-subject').fill('966500000000');
    await page.getByTestId('privacy-submit').press('Enter');
    await fieldError(page, 'subject').waitFor();
    expect(await fieldError(page, 'subject').textContent()).toBe('No customer has this phone number.');
    expect(await focused(page)).toBe('privacy-subject');
    expect(await owner()`select count(*)::int as n from privacy_requests`).toEqual([{ n: 0 }]);

    // Filed: the request opens beside the list and completes there, live.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(LINA.waId!);
    await page.keyboard.press('Enter');
    await page.getByTestId('privacy-form-status').getByText('Request filed. It runs now.').waitFor();
    const detail = page.locator('[data-testid="privacy-detail"][data-kind="ERASURE"]');
    await detail.waitFor();
    expect(await detail.locator('h2').textContent()).toBe('Erasure request about +9665 •••••• 67');
    const row = page.getByTestId('privacy-request');
    await page.locator('[data-testid="privacy-request"][data-state="COMPLETED"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="privacy-detail"][data-state="COMPLETED"]').waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').evaluateAll((tds) => tds.map((td) => td.textContent!.replace(/\s+/g, ' ').trim()).slice(0, 3))).toEqual([
      'Erasure',
      '+9665 •••••• 67',
      'Completed',
    ]);
    // The confirmation goes out last; its step arrives live too.
    await expect.poll(() => steps(page), { timeout: 15_000 }).toEqual(['received', 'started', 'erased', 'completed', 'notified']);
    expect(await detail.getByTestId('privacy-step').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim())))).toEqual([
      ['Bea Boss', 'Received'],
      ['Switchboard', 'Started'],
      ['Switchboard', 'Data erased'],
      ['Switchboard', 'Completed'],
      ['Switchboard', 'Requester told'],
    ]);
    expect(await page.getByTestId('privacy-outcome').textContent()).toBe('Customer erased.');
    expect(await detail.getByTestId('privacy-due').getAttribute('data-urgency')).toBe('DONE');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await waitForMail(desk.sandbox.url, (mail) => mail.envelope.to.includes('lina@example.com'));

    // Ana's inbox lost the conversation without a reload; her open view of it says it was erased.
    await inbox.getByTestId('conversation-item').waitFor({ state: 'detached' });
    await conversation.getByTestId('conversation-erased').waitFor();
    expect(await conversation.getByTestId('conversation-erased').textContent()).toContain('This conversation was erased by a privacy request.');
    expect(await bubbleWithText(conversation, 'Where is my order?').count()).toBe(0);
    expect(await conversation.getByTestId('composer-input').count()).toBe(0);
    expect(await axeViolations(conversation)).toEqual([]);

    // The record of processing, from the app bar: nothing held about customers any more, nothing open.
    await page.getByTestId('nav-record').click();
    await page.waitForURL(/\/record-of-processing$/);
    await page.getByTestId('record-open').waitFor();
    expect(await page.getByTestId('record-open').textContent()).toBe('0 requests open');
    const categories = await page.getByTestId('record-category').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent!.trim(), r.querySelector('td')!.textContent!.trim()]));
    expect(categories.slice(0, 3)).toEqual([
      ['Customer profiles (phone number, WhatsApp name, ids)', '0'],
      ['Conversations', '0'],
      ['Messages and their delivery statuses', '0'],
    ]);
    expect(await page.locator('[data-testid="record-period"][data-field="messagesDays"] td').textContent()).toBe('90 days');
    expect(await page.getByTestId('record-change-retention').getAttribute('href')).toBe('/retention');
    expect(await page.getByTestId('record-subprocessor').locator('th').allTextContents()).toEqual([
      'Meta Platforms (WhatsApp Business Cloud API)',
      'Cloudflare (Workers and Queues)',
      `SMTP relay (${new URL(desk.sandbox.smtpUrl).host})`,
    ]);
    expect(await axeViolations(page)).toEqual([]);

    // Every step is in the audit log, in words.
    await page.getByTestId('nav-audit').click();
    await page.locator('[data-testid="audit-entry"][data-action="privacy.erasure.completed"]').waitFor();
    const audit = await page.locator('[data-testid="audit-entry"][data-action^="privacy.erasure."]').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent!.trim())),
    );
    // Steps written in one transaction share its time, so only the set is in a known order.
    expect(audit.sort()).toEqual([
      ['Erasure request: completed', 'Switchboard'],
      ['Erasure request: data erased', 'Switchboard'],
      ['Erasure request: received', 'Bea Boss'],
      ['Erasure request: requester told', 'Switchboard'],
      ['Erasure request: started', 'Switchboard'],
    ]);
    await Promise.all([inbox.close(), conversation.close(), page.close()]);
  }, 120_000);

  it('gives an access request’s export as a zip, through the link on the page', async () => {
    await desk.customerWrites(LINA, 'Please send me my data');
    const page = await openPrivacy();
    await page.getByTestId('privacy-kind').selectOption('ACCESS');
    await page.getByTestId('privacy-subject').fill(LINA.waId!);
    await page.getByTestId('privacy-submit').click();
    await page.locator('[data-testid="privacy-detail"][data-state="COMPLETED"]').waitFor({ timeout: 15_000 });

    const link = page.getByTestId('privacy-download');
    await link.waitFor();
    const [request] = await owner()<{ id: string }[]>`select id from privacy_requests where kind = 'access'`;
    // The export is a path on the api, put beside its GraphQL endpoint.
    expect(await link.getAttribute('href')).toBe(`${desk.api.url}/privacy-exports/${request!.id}`);
    expect(await link.textContent()).toBe('Download export');
    expect(await axeViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`privacy-export-${request!.id}.zip`);
    const zip = readFileSync((await download.path())!);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zip.includes('export.json')).toBe(true);
    expect(await owner()`select action, actor_kind from audit_events where action = 'privacy.export.downloaded'`).toEqual([{ action: 'privacy.export.downloaded', actorKind: 'user' }]);
    await page.close();
  }, 90_000);

  it('lists a request the customer made in WhatsApp as overdue until an admin decides, from the record of processing', async () => {
    await desk.customerWrites(LINA, 'delete my data');
    const [contact] = await owner()<{ id: string }[]>`select id from contacts where wa_id = ${LINA.waId!}`;
    // Two requests Lina made in WhatsApp: an erasure 40 days ago (10 days late), a restriction 25 days ago (due in 5).
    const waiting = await owner()<{ id: string; kind: string }[]>`
      insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, created_by_kind, received_at, due_at)
      values (${tenantId}, 'erasure', 'whatsapp', 'contact', ${contact!.id}, '+9665 •••••• 67', 'customer', now() - interval '40 days', now() - interval '10 days'),
             (${tenantId}, 'restriction', 'whatsapp', 'contact', ${contact!.id}, '+9665 •••••• 67', 'customer', now() - interval '25 days', now() + interval '5 days')
      returning id, kind`;
    for (const { id } of waiting) {
      await owner()`insert into privacy_request_steps (tenant_id, request_id, actor_kind, action) values (${tenantId}, ${id}, 'customer', 'received')`;
    }

    const page = await openSignedIn(browser, desk.web!, bea);
    await page.getByTestId('nav-record').click();
    await page.getByTestId('record-overdue').waitFor();
    expect(await page.getByTestId('record-open').textContent()).toBe('2 requests open');
    expect(await page.getByTestId('record-overdue').textContent()).toBe('1 request past its due date');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('record-show-overdue').click();
    await page.waitForURL(/\/privacy\?overdue=true$/);

    // Only the late one, in red and in words; the filter shows as set.
    await page.locator('[data-testid="privacy-request"][data-kind="ERASURE"]').waitFor();
    expect(await page.getByTestId('privacy-request').count()).toBe(1);
    expect(await page.getByTestId('privacy-filter-overdue').isChecked()).toBe(true);
    const due = page.getByTestId('privacy-request').getByTestId('privacy-due');
    expect(await due.getAttribute('data-urgency')).toBe('LATE');
    expect(await due.locator('.left').textContent()).toBe('Overdue · 10 days late');
    expect(await due.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)');
    expect(await axeViolations(page)).toEqual([]);

    // Rejected with a reason, by keyboard; it leaves the overdue list live.
    await page.getByTestId('privacy-request-link').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('privacy-decision').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('privacy-detail-title');
    expect(await page.getByTestId('privacy-decision').locator('p').first().textContent()).toBe(
      'The customer asked for this in WhatsApp. It waits for an admin: approve it to run it, or reject it with the reason.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('privacy-reject').focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('privacy-reject-reason');
    // No reason: refused at the field, which keeps the focus.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('privacy-reject-submit');
    await page.keyboard.press('Enter');
    await page.getByText('Say why the request is rejected.').waitFor();
    expect(await focused(page)).toBe('privacy-reject-reason');
    expect(await page.getByTestId('privacy-reject-reason').getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.type('The sender could not show the number is theirs');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="privacy-detail"][data-state="REJECTED"]').waitFor();
    expect(await page.getByTestId('privacy-outcome').textContent()).toBe('The sender could not show the number is theirs');
    await page.getByTestId('privacy-empty').getByText('No request matches these filters.').waitFor();

    // All requests: the restriction is due within a week, so in red too; approved, it runs by itself.
    await page.getByTestId('privacy-filter-clear').click();
    await page.waitForURL((url) => !url.searchParams.has('overdue'));
    const restriction = page.locator('[data-testid="privacy-request"][data-kind="RESTRICTION"]');
    await restriction.waitFor();
    expect(await restriction.getByTestId('privacy-due').getAttribute('data-urgency')).toBe('NEAR');
    expect(await restriction.locator('.left').textContent()).toBe('Due soon · 4 days left');
    await restriction.getByTestId('privacy-request-link').click();
    await page.getByTestId('privacy-approve').click();
    await page.locator('[data-testid="privacy-detail"][data-state="COMPLETED"][data-kind="RESTRICTION"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => steps(page)).toEqual(['received', 'approved', 'started', 'applied', 'completed', 'nothing_to_notify']);
    expect(await restriction.getAttribute('data-state')).toBe('COMPLETED');
    expect(await owner()`select restricted from contacts where id = ${contact!.id}`).toEqual([{ restricted: true }]);
    await page.close();
  }, 90_000);

  it('is not offered to agents, and shows them neither requests nor the record', async () => {
    const page = await openSignedIn(browser, desk.web!, ana);
    expect(await page.getByTestId('nav-privacy').count()).toBe(0);
    expect(await page.getByTestId('nav-record').count()).toBe(0);
    await page.goto(`${desk.web!.url}/privacy`);
    await page.getByText('Only admins run privacy requests.').waitFor();
    expect(await page.getByTestId('privacy-form').count()).toBe(0);
    await page.goto(`${desk.web!.url}/record-of-processing`);
    await page.getByText('Only admins read the record of processing.').waitFor();
    expect(await page.getByTestId('record-open').count()).toBe(0);
    await page.close();
  }, 60_000);
});
