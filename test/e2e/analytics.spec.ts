// The Analytics page in Chromium against the real api (its analytics folder running), Postgres, the Meta
// sandbox and the built dashboard. A manager opens Analytics by keyboard: the live tiles move when a
// customer writes and when work is handed out, without a reload, and the longest wait counts on by
// itself; the day's bar, once the api has folded the figures, leads to exactly the conversations
// opened that day. An agent sees only their own figures — no queue, no one else's — and the api
// refuses them the tenant's. Every state passes axe (WCAG 2.1 A and AA).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Sender } from '../meta-sandbox/payloads.ts';
import { axeViolations } from '../support/axe.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, logIn, owner, seedUser, type SeededUser } from '../support/stack.ts';
import { launchChromium, openSignedIn } from '../support/web.ts';

/** A node's id as the api gives it out (Relay global id). */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };
const OMAR: Sender = { name: 'Omar Nasser', waId: '971501112233' };
const DAY_MS = 86_400_000;

let desk: Desk;
let browser: Browser;
let ana: SeededUser;
let maya: SeededUser;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'analytics-web', web: true });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});
beforeEach(async () => {
  const seeded = await desk.reset();
  ana = seeded.agent;
  maya = await seedUser(seeded.tenantId, { email: 'maya@acme.test', name: 'Maya', role: 'manager' });
});

/** UTC midnight `days` before today: the browser runs in UTC, so that is where its days start. */
function dayStart(daysAgo: number): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - daysAgo * DAY_MS);
}
/** Noon of that day, in Meta's seconds. */
const noonOf = (daysAgo: number) => Math.floor((dayStart(daysAgo).getTime() + DAY_MS / 2) / 1000);

const bar = (page: Page, daysAgo: number) => page.locator(`[data-testid="volume-bar"][data-key^="${dayStart(daysAgo).toISOString().slice(0, 10)}"]`);
const value = (page: Page, testid: string) => page.getByTestId(testid).getAttribute('data-value');
const names = (page: Page) => page.getByTestId('conversation-name').allTextContents();

/** The id of the conversation `customer` started, read as Maya through the api. */
async function conversationOf(session: { cookie: string }, customer: Sender): Promise<string> {
  const answer = await graphql(desk.api.url, session, '{ conversations(first: 10) { edges { node { id contact { waId } } } } }');
  const edge = answer.data.conversations.edges.find((e: { node: { contact: { waId: string } } }) => e.node.contact.waId === customer.waId);
  return edge.node.id;
}

/** Someone signed in, on Analytics reached from the app bar by keyboard. */
async function openAnalytics(person: SeededUser): Promise<Page> {
  const page = await openSignedIn(browser, desk.web!, person);
  await page.getByTestId('nav-analytics').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/analytics$/);
  await page.getByTestId('analytics').waitFor();
  return page;
}

describe('the analytics page', () => {
  it('shows a manager the queue live and leads from a day’s bar to exactly the conversations opened that day', async () => {
    // Lina wrote two days ago; her conversation still waits (Ana, the only agent, is offline).
    await desk.customerWrites(LINA, 'Is my order on its way?', noonOf(2));
    const page = await openAnalytics(maya);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Analytics');
    expect(await page.getByTestId('nav-analytics').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('analytics-range').textContent()).toMatch(/ · by day$/);

    // The tiles come from liveQueueChanged: its first reading says the subscription is in place.
    await page.locator('[data-testid="live-waiting"][data-value="1"]').waitFor();
    expect(await value(page, 'live-open')).toBe('1');
    // The longest wait counts on by itself between readings.
    const waitedAtFirst = Number(await value(page, 'live-longest-wait'));
    await expect.poll(async () => Number(await value(page, 'live-longest-wait')), { timeout: 5_000 }).toBeGreaterThan(waitedAtFirst);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // Omar writes now: the waiting tile goes up, live.
    await desk.customerWrites(OMAR, 'Hello, I need help with a refund');
    await page.locator('[data-testid="live-waiting"][data-value="2"]').waitFor();
    expect(await value(page, 'live-open')).toBe('2');

    // Maya hands Omar's conversation to Ana: it leaves the queue, still open.
    const session = await logIn(desk.api.url, maya.email, maya.password);
    const omarsConversation = await conversationOf(session, OMAR);
    const assigned = await graphql(desk.api.url, session, 'mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u) { __typename } }', {
      c: omarsConversation,
      u: globalId('User', ana.id),
    });
    expect(assigned.data.assignConversation.__typename).toBe('MutationAssignConversationSuccess');
    await page.locator('[data-testid="live-waiting"][data-value="1"]').waitFor();
    expect(await value(page, 'live-open')).toBe('2');

    // The figures follow once the api has folded them (within about a second): a bar for each day.
    await bar(page, 2).and(page.locator('[data-count="1"]')).waitFor({ timeout: 15_000 });
    await bar(page, 0).and(page.locator('[data-count="1"]')).waitFor({ timeout: 15_000 });
    expect(await bar(page, 1).getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('volume-bar').count()).toBe(7);
    await page.locator('[data-testid="total-conversationsOpened"][data-value="2"]').waitFor();
    expect(await value(page, 'total-messagesInbound')).toBe('2');
    // Per person: Ana holds one, nobody the other; the table sorts by a column chosen by keyboard.
    const agentRows = page.getByTestId('agents-table-row');
    await expect.poll(() => agentRows.count(), { timeout: 15_000 }).toBe(2);
    const opened = page.locator('[data-testid="agents-table"] [data-testid="sort"][data-column="opened"]');
    await opened.focus();
    await page.keyboard.press('Enter');
    expect(await opened.locator('xpath=..').getAttribute('aria-sort')).toBe('descending');
    await page.keyboard.press('Enter');
    expect(await opened.locator('xpath=..').getAttribute('aria-sort')).toBe('ascending');
    expect(await agentRows.locator('th').allTextContents()).toEqual(expect.arrayContaining(['Ana', 'Nobody (unassigned)']));
    // The chart's figures are in a table too.
    await page.getByTestId('volumes-table').locator('summary').click();
    const linaDay = page.locator(`[data-testid="volume-row"][data-key^="${dayStart(2).toISOString().slice(0, 10)}"] td`);
    expect(await linaDay.allTextContents()).toEqual(['1', '0', '1', '0']);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // The conversations as a CSV file, with its progress shown: one row per conversation, no message text.
    const saved = page.waitForEvent('download');
    await page.locator('[data-testid="export-button"][data-report="CONVERSATIONS"]').click();
    const file = await saved;
    await page.locator('[data-testid="export-status"][data-phase="done"]').waitFor();
    const csv = (await readFile((await file.path())!)).toString('utf8');
    expect(csv.startsWith('\uFEFFconversation_id,opened_at,')).toBe(true);
    expect(csv.trimEnd().split('\n')).toHaveLength(3);
    for (const secret of [LINA.name, LINA.waId, OMAR.waId]) expect(csv).not.toContain(secret);
    expect(file.suggestedFilename()).toMatch(/^analytics-conversations-[0-9a-f-]+\.csv$/);

    // Lina's day: its bar leads to her conversation, and only hers.
    await bar(page, 2).click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('openedAfter') === dayStart(2).toISOString());
    expect(new URL(page.url()).searchParams.get('openedBefore')).toBe(dayStart(1).toISOString());
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await names(page)).toEqual([LINA.name]);
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(dayStart(2));
    expect(await page.getByTestId('drill-down-summary').textContent()).toBe(`Conversations opened ${day}.`);
    expect(await axeViolations(page)).toEqual([]);

    // Back on Analytics, Ana's row leads to the conversations she holds.
    await page.goBack();
    await page.getByTestId('agents-table-link').first().waitFor();
    await page.locator('[data-testid="agents-table-link"]', { hasText: 'Ana' }).click();
    await page.waitForURL((url) => url.searchParams.get('agent') === globalId('User', ana.id));
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await names(page)).toEqual([OMAR.name]);
    expect(await page.getByTestId('drill-down-summary').textContent()).toMatch(/, held by Ana\.$/);
    await page.close();
  });

  it('shows an agent only their own figures, without the queue, and the api refuses them the tenant’s', async () => {
    await desk.customerWrites(LINA, 'Is my order on its way?', noonOf(3));
    await desk.customerWrites(OMAR, 'Hello, I need help with a refund');
    const manager = await logIn(desk.api.url, maya.email, maya.password);
    const assigned = await graphql(desk.api.url, manager, 'mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u) { __typename } }', {
      c: await conversationOf(manager, OMAR),
      u: globalId('User', ana.id),
    });
    expect(assigned.data.assignConversation.__typename).toBe('MutationAssignConversationSuccess');

    // Ana's own figures, once the api has folded them: the conversation she holds, not Lina's.
    const session = await logIn(desk.api.url, ana.email, ana.password);
    const range = { from: dayStart(6).toISOString(), to: dayStart(-1).toISOString(), timeZone: 'UTC' };
    const mine = await eventually(
      () => graphql(desk.api.url, session, 'query ($input: AnalyticsInput!) { myAnalytics(input: $input) { conversationsOpened } }', { input: range }),
      (answer) => answer.data?.myAnalytics.conversationsOpened === 1,
      { timeoutMs: 15_000 },
    );
    expect(mine.data.myAnalytics.conversationsOpened).toBe(1);
    // The tenant's figures and the queue are the managers': the api says FORBIDDEN.
    const codes = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.map((e) => e.extensions?.code);
    expect(codes(await graphql(desk.api.url, session, 'query ($input: AnalyticsInput!) { analytics(input: $input) { conversationsOpened } }', { input: range }))).toEqual(['FORBIDDEN']);
    expect(codes(await graphql(desk.api.url, session, '{ liveQueue { waiting } }'))).toEqual(['FORBIDDEN']);

    const page = await openAnalytics(ana);
    expect(await page.getByTestId('nav-analytics').textContent()).toBe('My figures');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My figures');
    await page.locator('[data-testid="total-conversationsOpened"][data-value="1"]').waitFor();
    await bar(page, 0).and(page.locator('[data-count="1"]')).waitFor();
    expect(await bar(page, 3).getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('live-queue').count()).toBe(0);
    expect(await page.getByTestId('agents-table').count()).toBe(0);
    expect(await page.getByTestId('analytics-export').count()).toBe(0);
    expect(await page.getByTestId('analytics-agent').count()).toBe(0);
    expect(await page.getByTestId('analytics-forbidden').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The chart is one Tab stop (the latest bar with conversations); the arrow keys move between bars,
    // and today's bar leads to her own conversation of the day.
    expect(await page.locator('[data-testid="volume-bar"][tabindex="0"]').evaluateAll((bars) => bars.map((b) => b.getAttribute('data-count')))).toEqual(['1']);
    await bar(page, 3).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await bar(page, 0).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('agent') === globalId('User', ana.id) && url.searchParams.get('openedAfter') === dayStart(0).toISOString());
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await names(page)).toEqual([OMAR.name]);
    expect(await page.getByTestId('drill-down-summary').textContent()).toMatch(/, held by you\.$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('hides the team’s figures from someone who is no longer a manager, saying why', async () => {
    await desk.customerWrites(LINA, 'Is my order on its way?');
    const page = await openAnalytics(maya);
    await page.locator('[data-testid="live-waiting"][data-value="1"]').waitFor();
    await page.getByTestId('total-conversationsOpened').waitFor();

    // An admin makes Maya an agent while her page is open; the next reading is refused.
    await owner()`update users set role = 'agent' where id = ${maya.id}`;
    // (A reading already in flight, sent before the change, may answer the first click: urql shares one
    // request between identical operations. Refresh until a reading sent after the change answers.)
    const notice = page.getByTestId('analytics-forbidden');
    await eventually(
      async () => {
        if ((await notice.count()) === 0) await page.getByTestId('analytics-refresh').click();
        return notice.count();
      },
      (n) => n > 0,
      { timeoutMs: 20_000, everyMs: 250 },
    );
    expect(await notice.textContent()).toBe('Only managers and admins see the team’s figures. Your own are under “My figures”.');
    expect(await page.getByTestId('total-conversationsOpened').count()).toBe(0);
    expect(await page.getByTestId('volume-chart').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
