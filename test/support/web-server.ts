// The dashboard as users get it: built by its own build script, served by the adapter-node server, and
// Debian's Chromium to drive it through playwright-core. Free of vitest, so the bench uses it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
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
