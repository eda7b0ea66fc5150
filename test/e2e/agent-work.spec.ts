// Agents at work in the dashboard, end to end: Chromium drives the built dashboard against the real api,
// Postgres, the Worker (workerd) and the Meta sandbox. An agent signs in and goes online, a customer's
// conversation is auto-assigned to them and appears live, they answer through the composer (quoting the
// customer, with a canned response) and watch the ticks move as Meta's status webhooks come back. Outside
// the 24-hour window the composer offers templates and a free-form send is refused in words; a manager
// watches presence change live and hands work to people; the conversation's work (queue, status,
// transfer, notes) happens from its toolbar.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Sandbox } from '../meta-sandbox/server.ts';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { graphql, logIn, owner, seedDepartment, seedUser, subscriptionsAttached, type RunningApi, type SeededUser } from '../support/stack.ts';
import { eventually } from '../support/eventually.ts';
import { bubbleWithText, launchChromium, openSignedIn } from '../support/web.ts';

/** A node's id as the api gives it out (Relay global id). */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };
const HOUR = 3600;

let desk: Desk;
let api: RunningApi;
let sandbox: Sandbox;
let browser: Browser;
let ana: SeededUser;
let maya: SeededUser;

beforeAll(async () => {
  // Status webhooks slow enough that a person (and the spec) sees each tick arrive.
  desk = await startDesk({ instanceId: 'agent-work', statusDelayMs: [250, 400], web: true });
  ({ api, sandbox } = desk);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

beforeEach(async () => {
  const { tenantId, agent } = await desk.reset();
  ana = agent;
  maya = await seedUser(tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
  const admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Boss', role: 'admin' });
  await seedDepartment(tenantId, { name: 'Billing' });

  const adminSession = await logIn(api.url, admin.email, admin.password);
  const synced = await graphql(api.url, adminSession, 'mutation { syncTemplates }');
  expect(synced.data.syncTemplates).toBeGreaterThanOrEqual(5);
  const mayaSession = await logIn(api.url, maya.email, maya.password);
  const canned = await graphql(
    api.url,
    mayaSession,
    'mutation { createCannedResponse(shortcut: "shipping", title: "Shipping times", body: "Orders ship within 2 working days.") { __typename } }',
  );
  expect(canned.data.createCannedResponse.__typename).toBe('MutationCreateCannedResponseSuccess');
  const label = await graphql(api.url, mayaSession, 'mutation { createLabel(name: "VIP", color: "#d97706") { __typename } }');
  expect(label.data.createLabel.__typename).toBe('MutationCreateLabelSuccess');
});

/** The customer writes, `hoursAgo` before now (0: just now). */
const customerWrites = (body: string, hoursAgo = 0) => desk.customerWrites(LINA, body, Math.floor(Date.now() / 1000) - hoursAgo * HOUR);

const signIn = (person: SeededUser, options: { clock?: Date } = {}) => openSignedIn(browser, desk.web!, person, options);

type Topic = 'conversationChanged' | 'messageChanged' | 'userChanged';
/** Runs `open` (a sign-in, a click into a conversation) and waits until the api has attached the page's new subscriptions of `topics`: from then on, what the test causes reaches the page live. */
async function listening<T>(topics: Topic[], open: () => Promise<T>): Promise<T> {
  const before = topics.map((topic) => subscriptionsAttached(desk.api.wsUrl, topic));
  const opened = await open();
  for (const [i, topic] of topics.entries()) await expect.poll(() => subscriptionsAttached(desk.api.wsUrl, topic), { timeout: 10_000 }).toBeGreaterThan(before[i]!);
  return opened;
}

async function setPresence(page: Page, presence: 'ONLINE' | 'AWAY' | 'OFFLINE'): Promise<void> {
  await page.getByTestId('presence-select').selectOption(presence);
  await page.locator(`[data-testid="presence-select"][data-presence="${presence}"]`).waitFor();
}

/** Labels and notes: open by default on wide screens, behind the Notes button otherwise. */
async function openAside(page: Page): Promise<void> {
  const toggle = page.getByTestId('toggle-notes');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByTestId('conversation-aside').waitFor();
}

const item = (page: Page) => page.getByTestId('conversation-item');

/** Every status an outbound message with this text shows, in order, however its bubble is replaced. */
async function recordStatuses(page: Page, text: string): Promise<() => Promise<string[]>> {
  await page.evaluate((text) => {
    const seen: string[] = [];
    (window as unknown as { statusesSeen: string[] }).statusesSeen = seen;
    const look = () => {
      for (const bubble of document.querySelectorAll('[data-testid="message-bubble"][data-direction="OUTBOUND"]')) {
        if (bubble.querySelector('[data-testid="message-text"]')?.textContent !== text) continue;
        const status = bubble.querySelector('[data-testid="message-status"]')?.getAttribute('data-status');
        if (status && seen.at(-1) !== status) seen.push(status);
      }
    };
    new MutationObserver(look).observe(document.querySelector('[data-testid="timeline"]')!, { subtree: true, childList: true, attributes: true, characterData: true });
  }, text);
  return () => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen);
}

describe('agents at work', () => {
  it('goes online, gets a customer’s conversation live, and replies quoting them with a canned response whose ticks move to read', async () => {
    const page = await listening(['conversationChanged'], () => signIn(ana));
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Ana');
    expect(await page.getByTestId('presence-select').getAttribute('data-presence')).toBe('OFFLINE');
    await setPresence(page, 'ONLINE');
    await page.locator('[data-testid="assignee-filter"][data-value="MINE"]').click();
    await page.getByTestId('inbox-empty').waitFor();

    const inboundWamid = await customerWrites('Hello, where is my order?');
    await item(page).waitFor();
    expect(await item(page).getByTestId('conversation-name').textContent()).toBe(LINA.name);
    expect(await item(page).getByTestId('conversation-assignee').textContent()).toContain('You');
    expect(await item(page).getAttribute('data-status')).toBe('OPEN');

    const inbound = bubbleWithText(page, 'Hello, where is my order?');
    await listening(['messageChanged'], async () => {
      await item(page).getByRole('link').click();
      await inbound.waitFor();
    });
    expect(await page.getByTestId('work-bar').getByTestId('conversation-assignee').textContent()).toContain('You');
    expect(await page.getByTestId('conversation-department').textContent()).toBe('Support');

    await inbound.hover();
    await inbound.getByTestId('reply-to-message').click();
    expect(await page.getByTestId('composer-quote').textContent()).toContain('Hello, where is my order?');

    const input = page.getByTestId('composer-input');
    await input.pressSequentially('/ship');
    await page.locator('[data-testid="canned-option"][data-shortcut="shipping"]').waitFor();
    await input.press('Enter');
    expect(await input.inputValue()).toBe('Orders ship within 2 working days.');

    const statuses = await recordStatuses(page, 'Orders ship within 2 working days.');
    await input.press('Enter');
    const reply = bubbleWithText(page, 'Orders ship within 2 working days.');
    await reply.waitFor();
    expect(await input.inputValue()).toBe('');
    expect(await page.getByTestId('composer-quote').count()).toBe(0);
    expect(await reply.getByTestId('message-quote').textContent()).toContain('Hello, where is my order?');
    expect(await reply.getByTestId('message-author').textContent()).toBe('Ana');

    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${LINA.waId}`,
      type: 'text',
      text: { body: 'Orders ship within 2 working days.', preview_url: false },
      context: { message_id: inboundWamid },
    });

    await reply.locator('[data-testid="message-status"][data-status="READ"]').waitFor({ timeout: 20_000 });
    expect(await reply.getAttribute('data-wamid')).toBe(accepted[0]!.wamid);
    const seen = await statuses();
    expect(seen[0]).toBe('PENDING');
    expect(seen.at(-1)).toBe('READ');
    // Only forward, never back; each step shown as it came.
    const order = ['PENDING', 'SENT', 'DELIVERED', 'READ'];
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
    expect(seen).toContain('SENT');
    expect(await page.getByTestId('message-bubble').count()).toBe(2);
    await page.close();
  }, 60_000);

  it('offers approved templates when the window is closed, and refuses a free-form send in words without losing the draft', async () => {
    await customerWrites('Any news on my refund?', 30);
    const page = await signIn(ana);
    await item(page).getByRole('link').click();
    await bubbleWithText(page, 'Any news on my refund?').waitFor();

    expect(await page.getByTestId('composer').getAttribute('data-mode')).toBe('template');
    expect(await page.getByTestId('window-closed-note').textContent()).toContain('The 24-hour reply window is closed');
    expect(await page.getByTestId('composer-input').count()).toBe(0);
    const picker = page.getByTestId('template-picker');
    // Approved only: the paused Spanish promotion is not offered.
    const offered = await picker.getByTestId('template-option').evaluateAll((options) => options.map((o) => o.getAttribute('data-name')));
    expect(offered).toContain('order_update');
    expect(offered).not.toContain('seasonal_promo');

    await picker.locator('[data-testid="template-option"][data-name="order_update"]').check();
    await picker.locator('[data-testid="template-parameter"][data-parameter="1"]').fill('Lina');
    await picker.locator('[data-testid="template-parameter"][data-parameter="2"]').fill('A-1042');
    expect(await picker.getByTestId('template-preview').textContent()).toBe('Hi Lina, your order A-1042 has shipped.');
    await picker.getByTestId('send-template').click();
    const sent = bubbleWithText(page, 'Hi Lina, your order A-1042 has shipped.');
    await sent.waitFor();
    expect(await sent.getAttribute('data-type')).toBe('TEMPLATE');
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Lina' }, { type: 'text', text: 'A-1042' }] }] },
    });
    await page.close();

    // A tab whose clock runs seven hours behind still believes the window open: the api has the last word.
    const behind = await signIn(ana, { clock: new Date(Date.now() - 7 * HOUR * 1000) });
    await item(behind).getByRole('link').click();
    expect(await behind.getByTestId('composer').getAttribute('data-mode')).toBe('text');
    const input = behind.getByTestId('composer-input');
    await input.fill('Are you still there?');
    await input.press('Enter');
    const problem = behind.getByTestId('composer-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('WINDOW_CLOSED');
    expect(await problem.textContent()).toContain('Not sent: the 24-hour reply window has closed. Send an approved template instead.');
    expect(await input.inputValue()).toBe('Are you still there?');
    expect(await bubbleWithText(behind, 'Are you still there?').count()).toBe(0);
    expect(sandbox.messages().accepted).toHaveLength(1);

    await problem.getByTestId('use-template').click();
    await behind.getByTestId('template-picker').waitFor();
    await behind.close();
  }, 60_000);

  it('shows a manager the team’s presence live, and lets them hand a conversation to a person', async () => {
    const manager = await listening(['conversationChanged', 'userChanged'], () => signIn(maya));
    const anaRow = manager.locator(`[data-testid="team-member"][data-user-id="${globalId('User', ana.id)}"]`);
    await anaRow.waitFor();
    expect(await anaRow.getAttribute('data-presence')).toBe('OFFLINE');

    const agent = await listening(['conversationChanged'], () => signIn(ana));
    await setPresence(agent, 'AWAY');
    await anaRow.and(manager.locator('[data-presence="AWAY"]')).waitFor();
    expect(await anaRow.getByTestId('team-member-presence').textContent()).toBe('Away');
    expect(await manager.getByTestId('team-panel').locator('p').first().textContent()).toBe('0 of 3 online');

    // Away: nothing is handed to Ana automatically, so the conversation waits in the queue.
    await customerWrites('Hi, I need help with my order');
    await item(manager).waitFor();
    expect(await item(manager).getByTestId('conversation-assignee').textContent()).toContain('Unassigned');

    await item(manager).getByRole('link').click();
    await manager.getByTestId('transfer').click();
    const dialog = manager.getByTestId('transfer-dialog');
    await dialog.getByTestId('transfer-person').selectOption({ label: 'Ana · Agent · Away' });
    await dialog.getByTestId('transfer-submit').click();
    await manager.locator('[data-testid="work-bar"] [data-testid="conversation-assignee"]').getByText('Ana').waitFor();

    // Ana sees it arrive in her inbox, assigned to her, without a reload.
    await agent.locator('[data-testid="conversation-item"] [data-testid="conversation-assignee"]').getByText('You').waitFor();

    await manager.getByRole('link', { name: 'Switchboard' }).click();
    await anaRow.and(manager.locator('[data-presence="AWAY"]')).waitFor();

    await agent.getByTestId('sign-out').click();
    await agent.getByTestId('sign-in-form').waitFor();
    expect(await agent.getByTestId('sign-in-notice').textContent()).toContain('You have signed out.');
    await anaRow.and(manager.locator('[data-presence="OFFLINE"]')).waitFor();
    await agent.close();
    await manager.close();
  }, 60_000);

  it('works a conversation from its toolbar: back to the queue, taken again, pending, a private note, a label, and transferred away', async () => {
    const page = await listening(['conversationChanged'], () => signIn(ana));
    await setPresence(page, 'ONLINE');
    await customerWrites('Can I change my delivery address?');
    await item(page).waitFor();
    await item(page).locator('[data-testid="conversation-assignee"]').getByText('You').waitFor();
    await item(page).getByRole('link').click();
    const holder = page.locator('[data-testid="work-bar"] [data-testid="conversation-assignee"]');
    await holder.getByText('You').waitFor();

    // Away, so the queue does not hand it straight back to her.
    await setPresence(page, 'AWAY');
    await page.getByTestId('unassign').click();
    await holder.getByText('Unassigned').waitFor();
    await page.getByTestId('assign-to-me').click();
    await holder.getByText('You').waitFor();

    await page.getByTestId('set-pending').click();
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Pending' }).waitFor();

    await openAside(page);
    await page.getByTestId('notes-empty').waitFor();
    await page.getByTestId('note-input').fill('Customer moved; confirm the new address before shipping.');
    await page.getByTestId('add-note').click();
    await page.getByTestId('note').getByText('Customer moved; confirm the new address before shipping.').waitFor();
    expect(await page.getByTestId('note-input').inputValue()).toBe('');

    await page.locator('[data-testid="label-toggle"][data-label="VIP"]').check();
    const labelled = await eventually(() => owner()`select count(*)::int as n from conversation_labels`, (rows) => rows[0]!.n === 1);
    expect(labelled[0]!.n).toBe(1);
    await page.reload();
    await openAside(page);
    await page.locator('[data-testid="label-toggle"][data-label="VIP"]:checked').waitFor();
    await page.getByTestId('note').getByText('Customer moved; confirm the new address before shipping.').waitFor();

    await page.getByTestId('transfer').click();
    const dialog = page.getByTestId('transfer-dialog');
    // Agents hand over to a department's queue, not to a person.
    expect(await dialog.getByTestId('transfer-person').count()).toBe(0);
    await dialog.getByTestId('transfer-department').selectOption({ label: 'Billing' });
    await dialog.getByTestId('transfer-submit').click();
    // Billing is not Ana's department: she is taken back to her inbox, told where it went.
    await page.getByTestId('page-notice').getByText('Moved to Billing.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  }, 60_000);
});
