// The dashboard as users get it: built by its own build script, served by the adapter-node server, driven
// by Debian's Chromium through playwright-core.
import type { Browser, Page } from 'playwright-core';
import { freePort } from '@switchboard/db/embedded';
import { startApi, type RunningApi } from './stack.ts';
import { buildWeb, launchChromium, startWeb, type RunningWeb } from './web-server.ts';

export { buildWeb, launchChromium, startWeb, type RunningWeb };

/** Fills in and submits the dashboard's sign-in form. */
export async function submitSignIn(page: Page, { email, password }: { email: string; password: string }): Promise<void> {
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-button').click();
}

/** A new page (en-US, UTC; its clock fixed at `clock` if given) on the dashboard, `person` signed in and live. */
export async function openSignedIn(browser: Browser, web: RunningWeb, person: { email: string; password: string }, { clock }: { clock?: Date } = {}): Promise<Page> {
  const page = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
  if (clock) await page.clock.setFixedTime(clock);
  await page.goto(web.url);
  await submitSignIn(page, person);
  await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
  return page;
}

/** The timeline bubble whose text is exactly `text`. */
export const bubbleWithText = (page: Page, text: string) =>
  page.getByTestId('message-bubble').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });

export interface Dashboard {
  api: RunningApi;
  web: RunningWeb;
  browser: Browser;
  /** Closes the browser, then the dashboard, then the api. */
  stop(): Promise<void>;
}

/**
 * What most browser journeys start with: the dashboard built and served, an api (no jobs) that accepts
 * its origin and links back to it, and Chromium.
 */
export async function startDashboard(): Promise<Dashboard> {
  const [webPort, apiPort] = await Promise.all([freePort(), freePort(), buildWeb()]);
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await startApi({ port: apiPort, allowedOrigins: [webUrl], dashboardUrl: webUrl, runJobs: false });
  const web = await startWeb({ port: webPort, apiUrl: api.url });
  const browser = await launchChromium();
  return {
    api,
    web,
    browser,
    async stop() {
      await browser.close();
      await web.stop();
      await api.stop();
    },
  };
}
