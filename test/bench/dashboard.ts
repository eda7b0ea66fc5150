// The dashboard's budgets (issue 14), in headless Chromium against the built dashboard on its production
// server and an api process of the bench's stack, over a tenant of its own: 1,000 open conversations,
// the newest of them 10,000 messages long.
//   - the inbox route's JavaScript: every script the browser fetched to show the signed-in inbox from an
//     empty cache, gzipped here (level 9 is what a CDN serves at most; level 6 is printed beside it)
//   - first inbox render: navigation start → the first frame showing conversation rows, cold (a new
//     browser context each time: no cache) and warm (a reload)
//   - opening the 10,000-message conversation from the inbox: the click → the first frame showing its
//     newest message
//   - scrolling back 50 pages (1,500 messages) through it: message bubbles and DOM nodes in the page, and
//     the JS heap, after each page (virtualised: they stay bounded while the loaded messages grow)
import { gzipSync } from 'node:zlib';
import { freePort } from '@switchboard/db/embedded';
import { hashPassword } from '@switchboard/api/auth/passwords';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb, launchChromium, startWeb } from '../support/web-server.ts';
import { summarise } from './load.ts';
import type { BenchStack } from './stack.ts';

const CONVERSATIONS = 1_000;
const LONG_CONVERSATION = 10_000;
const EMAIL = 'admin@dashboard.bench.example';
const PASSWORD = 'bench dashboard password';
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 10);
const SCROLL_PAGES = 50;

/** A tenant of its own, written by Postgres itself: an admin, 1,000 customers each with an open conversation of 4 messages; the newest has 10,000. */
async function writeTenant(stack: BenchStack): Promise<void> {
  const { owner } = stack;
  const tenantId = (await owner<{ id: string }[]>`insert into tenants (name) values ('Dashboard bench') returning id`)[0]!.id;
  await owner`insert into whatsapp_accounts (tenant_id, waba_id, name) values (${tenantId}, '990000000000001', 'Dashboard bench')`;
  await owner`insert into phone_numbers (tenant_id, waba_id, phone_number_id, display_phone_number)
              values (${tenantId}, '990000000000001', '990000000000101', '+1 555 990 0101')`;
  await owner`insert into users (tenant_id, email, name, role, password_hash)
              values (${tenantId}, ${EMAIL}, 'Dashboard Admin', 'admin', ${await hashPassword(PASSWORD)})`;
  await owner`
    with ct as (
      insert into contacts (tenant_id, wa_id, display_name)
      select ${tenantId}, '3' || lpad(g::text, 11, '0'), 'Customer ' || g from generate_series(1, ${CONVERSATIONS}::int) g
      returning id, wa_id
    )
    insert into conversations (tenant_id, contact_id, phone_number_id, status, last_message_at, last_inbound_at, window_expires_at, created_at)
    select ${tenantId}, ct.id, '990000000000101', 'open', t, t, t + interval '24 hours', t - interval '3 hours'
      from (select ct.*, now() - (substr(ct.wa_id, 2)::int) * interval '1 minute' as t from ct) ct`;
  // Customer 1's conversation is the newest, and the long one; every message a second apart.
  await owner`
    insert into messages (tenant_id, conversation_id, phone_number_id, wamid, direction, type, text, content, status, sent_at)
    select ${tenantId}, c.id, c.phone_number_id, 'wamid.dash.' || c.id || '.' || g.i,
           case when g.i % 3 = 1 then 'outbound' else 'inbound' end, 'text',
           'Message ' || g.i, jsonb_build_object('body', 'Message ' || g.i),
           case when g.i % 3 = 1 then 'read' else 'received' end,
           c.last_message_at - (n.total - g.i) * interval '1 second'
      from conversations c
      join contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id
      cross join lateral (select case when ct.wa_id = '300000000001' then ${LONG_CONVERSATION}::int else 4 end as total) n
      cross join lateral generate_series(1, n.total) g (i)
     where c.tenant_id = ${tenantId}`;
  await owner`
    update conversations c set last_message_id = m.id
      from (select distinct on (conversation_id) conversation_id, id from messages where tenant_id = ${tenantId}
             order by conversation_id, sent_at desc) m
     where c.tenant_id = ${tenantId} and c.id = m.conversation_id`;
  await owner`analyze contacts, conversations, messages`;
}

const ROW = '[data-testid="conversation-item"]';

/** Milliseconds from navigation start to the first animation frame that shows a conversation row. */
async function firstRowsAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction((row) => document.querySelector(row) && performance.now(), ROW, { polling: 'raf', timeout: 30_000 });
  return Number(await handle.jsonValue());
}

async function signIn(browser: Browser, url: string): Promise<Awaited<ReturnType<BrowserContext['storageState']>>> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('sign-in-email').fill(EMAIL);
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-button').click();
  await page.locator(ROW).first().waitFor();
  const state = await context.storageState();
  await context.close();
  return state;
}

export interface DashboardFigures {
  js: { files: number; rawKB: number; gzipKB: number; gzip6KB: number; largest: { file: string; gzipKB: number }[] };
  firstInboxRenderMs: { cold: ReturnType<typeof summarise>; warm: ReturnType<typeof summarise> };
  openLongConversationMs: ReturnType<typeof summarise>;
  scrollBack: { pages: number; loaded: number; bubbles: number[]; nodes: number[]; heapMB: number[] };
}

export async function benchDashboard(stack: BenchStack): Promise<DashboardFigures> {
  const [webPort] = await Promise.all([freePort(), buildWeb(), writeTenant(stack)]);
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await stack.addApiInstance({ WEB_ORIGIN: webUrl, DASHBOARD_URL: webUrl, RUN_JOBS: 'false' });
  const web = await startWeb({ port: webPort, apiUrl: api.url });
  const browser = await launchChromium();
  try {
    const storageState = await signIn(browser, web.url);
    const fresh = () => browser.newContext({ locale: 'en-US', storageState });

    // The inbox's JavaScript, from an empty cache; and first renders, cold then warm.
    const cold: number[] = [];
    const warm: number[] = [];
    let js: DashboardFigures['js'] | undefined;
    for (let run = 0; run < RUNS; run++) {
      const context = await fresh();
      const page = await context.newPage();
      const scripts: Promise<{ file: string; body: Buffer }>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script' && response.url().startsWith(web.url)) {
          scripts.push(response.body().then((body) => ({ file: new URL(response.url()).pathname.split('/').at(-1)!, body })));
        }
      });
      await page.goto(web.url);
      cold.push(await firstRowsAt(page));
      await page.waitForLoadState('networkidle');
      if (!js) {
        const files = (await Promise.all(scripts)).map(({ file, body }) => ({
          file,
          rawKB: body.length / 1024,
          gzipKB: gzipSync(body, { level: 9 }).length / 1024,
          gzip6KB: gzipSync(body).length / 1024,
        }));
        const sum = (key: 'rawKB' | 'gzipKB' | 'gzip6KB') => files.reduce((total, f) => total + f[key], 0);
        js = {
          files: files.length,
          rawKB: sum('rawKB'),
          gzipKB: sum('gzipKB'),
          gzip6KB: sum('gzip6KB'),
          largest: files.sort((a, b) => b.gzipKB - a.gzipKB).slice(0, 6).map(({ file, gzipKB }) => ({ file, gzipKB })),
        };
      }
      await page.reload();
      warm.push(await firstRowsAt(page));
      await context.close();
    }

    // Opening the long conversation from the inbox, RUNS times.
    const context = await fresh();
    const page = await context.newPage();
    await page.goto(web.url);
    await page.locator(ROW).first().waitFor();
    const opens: number[] = [];
    const newest = `Message ${LONG_CONVERSATION}`;
    for (let run = 0; run < RUNS; run++) {
      await page.evaluate(() => {
        addEventListener('click', () => ((window as unknown as { clickedAt: number }).clickedAt = performance.now()), { capture: true, once: true });
      });
      await page.locator(ROW).first().click();
      const handle = await page.waitForFunction(
        (text) =>
          [...document.querySelectorAll('[data-testid="timeline"] [data-testid="message-text"]')].some((el) => el.textContent === text) &&
          performance.now() - (window as unknown as { clickedAt: number }).clickedAt,
        newest,
        { polling: 'raf', timeout: 30_000 },
      );
      opens.push(Number(await handle.jsonValue()));
      if (run < RUNS - 1) {
        await page.goBack();
        await page.locator(ROW).first().waitFor();
      }
    }

    // Scrolling back through it, a page at a time, as an agent reading history does.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const scroller = page.getByTestId('timeline');
    const state = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      const dom = await scroller.evaluate((el) => ({
        loaded: Number(el.getAttribute('data-loaded')),
        bubbles: el.querySelectorAll('[data-testid="message-bubble"]').length,
        nodes: document.getElementsByTagName('*').length,
      }));
      return { ...dom, heapMB: metric('JSHeapUsedSize') / 1024 / 1024 };
    };
    const scrollBack: DashboardFigures['scrollBack'] = { pages: 0, loaded: 0, bubbles: [], nodes: [], heapMB: [] };
    const record = (s: Awaited<ReturnType<typeof state>>) => {
      scrollBack.loaded = s.loaded;
      scrollBack.bubbles.push(s.bubbles);
      scrollBack.nodes.push(s.nodes);
      scrollBack.heapMB.push(Math.round(s.heapMB * 10) / 10);
    };
    record(await state());
    await scroller.hover();
    for (let pageNo = 0; pageNo < SCROLL_PAGES; pageNo++) {
      const before = scrollBack.loaded;
      await page.mouse.wheel(0, -1_000_000);
      await page.waitForFunction(
        (before) => Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-loaded')) > before,
        before,
        { timeout: 30_000 },
      );
      scrollBack.pages++;
      record(await state());
    }
    await context.close();

    return {
      js: js!,
      firstInboxRenderMs: { cold: summarise(cold), warm: summarise(warm) },
      openLongConversationMs: summarise(opens),
      scrollBack,
    };
  } finally {
    await browser.close();
    await web.stop();
    await api.stop();
  }
}
