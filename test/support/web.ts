// The dashboard as users get it: built by its own build script, served by the adapter-node server, driven
// by Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '@switchboard/db/embedded';
import { startApi, type RunningApi } from './stack.ts';
import { waitForHttp } from './wait-for-http.ts';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

/** `vite build` of web/, as `pnpm --filter @switchboard/web build` runs it. */
export function buildWeb(): Promise<void> {
  return run(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build'], { cwd: webDir });
}

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

/** Serves web/build with its production server, pointed at `apiUrl`. */
export async function startWeb({ port, apiUrl, env = {} }: { port: number; apiUrl: string; env?: Record<string, string> }): Promise<RunningWeb> {
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [`${webDir}build/index.js`], {
    cwd: webDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, PUBLIC_API_URL: `${apiUrl}/graphql`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  try {
    await waitForHttp(url, { timeoutMs: 20_000, ok: (status) => status < 400, alive: () => child.exitCode === null });
  } catch (error) {
    throw new Error(`${(error as Error).message}; the web server said:\n${output}`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

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
