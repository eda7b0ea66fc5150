// `./switchboard dev` as a developer runs it: from a checkout other users cannot enter (as root, Postgres
// runs as the `postgres` user), up until it says so, then Ctrl-C, which a terminal sends to the whole
// foreground process group.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, reachableDataDir } from '@switchboard/db/embedded';
import { createMailer } from '@switchboard/api/notify/mailer';
import { copyCheckoutToClosedDirectory } from '../support/checkout.ts';
import { waitForMail } from '../support/mail.ts';

const plain = (text: string) => text.replaceAll(/\x1b\[[0-9;]*m/g, '');

describe('./switchboard dev', () => {
  let checkout: string;
  let dev: ChildProcess;
  let stdout = '';
  let stderr = '';
  let dataDir: string | undefined;
  let socketDir: string | undefined;
  let apiUrl: string;
  let webUrl: string;

  beforeAll(async () => {
    checkout = await copyCheckoutToClosedDirectory();
    const [api, edge, web, sandbox, smtp, pg] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    apiUrl = `http://localhost:${api}`;
    webUrl = `http://localhost:${web}`;
    const env: NodeJS.ProcessEnv = { ...process.env, API_URL: apiUrl, EDGE_URL: `http://localhost:${edge}`, WEB_ORIGIN: webUrl, SANDBOX_PORT: String(sandbox), SANDBOX_SMTP_PORT: String(smtp), META_GRAPH_URL: `http://localhost:${sandbox}`, DEV_PG_PORT: String(pg) };
    delete env.DATABASE_URL;
    delete env.SMTP_URL;
    dev = spawn('./switchboard', ['dev'], { cwd: checkout, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    dev.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    dev.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  });

  afterAll(async () => {
    if (dev.exitCode === null && dev.signalCode === null) process.kill(-dev.pid!, 'SIGKILL');
    // Postgres has a process group of its own: if dev did not stop it, it is stopped here.
    const pidFile = dataDir && path.join(dataDir, 'postmaster.pid');
    if (pidFile && existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    await rm(checkout, { recursive: true, force: true });
    // The data went outside the checkout (the postgres user cannot enter it): /var/tmp/switchboard-<hash>/.
    if (dataDir && /\/switchboard-[0-9a-f]{12}\/postgres$/.test(dataDir)) await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('comes up, and Ctrl-C stops the sandbox, the web and the edge, then the api, then Postgres, exiting 0 without errors', { timeout: 240_000 }, async () => {
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => dev.once('exit', (code, signal) => resolve({ code, signal })));
    const up = await Promise.race([
      new Promise<boolean>((resolve) => dev.stdout!.on('data', () => stdout.includes('Switchboard is up') && resolve(true))),
      exited.then(() => false),
    ]);
    expect(up, plain(stdout + stderr)).toBe(true);
    const started = plain(stdout);
    // The embedded database, and only it without --seed-demo, gets the demo.
    expect(started).toMatch(/; demo tenant [0-9a-f-]{36}/);
    expect(started).toMatch(/partner key\s+sb_dev_/);
    const printed = /data in (\S+), socket in (\S+)/.exec(started);
    expect(printed, started).not.toBeNull();
    dataDir = path.resolve(checkout, printed![1]!);
    socketDir = printed![2]!;
    // As root, the postgres user cannot enter the checkout, so the data lives outside it.
    if (process.getuid!() === 0) expect(dataDir.startsWith(checkout + path.sep)).toBe(false);
    else expect(dataDir).toBe(path.join(checkout, '.data', 'postgres'));
    expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);
    // The api gets the dev METRICS_TOKEN (.env.example), printed for the developer; /metrics answers only to it.
    const metricsToken = /metrics\s+\S+\/metrics \(Authorization: Bearer (\S+)\)/.exec(started)?.[1];
    expect(metricsToken, started).toBeDefined();
    const scrape = async (headers: Record<string, string>) => (await fetch(`${apiUrl}/metrics`, { headers })).status;
    expect([await scrape({ authorization: `Bearer ${metricsToken}` }), await scrape({})]).toEqual([200, 401]);
    expect((await fetch(webUrl)).status).toBe(200);
    // The api mails through the sandbox's SMTP catcher, whose page lists what arrived.
    const mail = /mail\s+(\S+)\/mail\s+what the api sends through (smtp:\/\/\S+)/.exec(started);
    expect(mail, started).not.toBeNull();
    const [, sandboxUrl, smtpUrl] = mail!;
    expect(started).toContain(`"smtp":"${new URL(smtpUrl!).host}"`);
    const page = await fetch(`${sandboxUrl}/mail`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('Nothing has arrived yet.')]);
    await createMailer({ url: smtpUrl!, from: 'Switchboard <privacy@switchboard.invalid>', log: () => {} }).send({ to: 'someone@example.com', subject: 'Caught in dev', text: 'hello' });
    expect(await waitForMail(sandboxUrl!, (m) => m.subject === 'Caught in dev')).toMatchObject({ to: 'someone@example.com', text: 'hello\n' });
    expect(await (await fetch(`${sandboxUrl}/mail`)).text()).toContain('<h2>Caught in dev</h2>');

    const before = { out: stdout.length, err: stderr.length };
    process.kill(-dev.pid!, 'SIGINT');
    const { code, signal } = await exited;
    const after = plain(stdout.slice(before.out));
    const errors = plain(stderr.slice(before.err));

    expect({ code, signal }, after + errors).toEqual({ code: 0, signal: null });
    const at = (part: string) => after.search(new RegExp(`^${part}\\s*│ stopped$`, 'm'));
    const order = ['sandbox', 'web', 'edge', 'api', 'postgres'].map((part) => [part, at(part)] as const);
    for (const [part, index] of order) expect(index, `${part} stopped, in:\n${after}`).toBeGreaterThanOrEqual(0);
    const index = Object.fromEntries(order);
    expect(index.sandbox).toBeLessThan(index.web!);
    expect(index.sandbox).toBeLessThan(index.edge!);
    expect(Math.max(index.web!, index.edge!)).toBeLessThan(index.api!);
    expect(index.api).toBeLessThan(index.postgres!);
    expect(errors).toBe('');
    expect(after).not.toMatch(/error|exception|cannot read|ELIFECYCLE|exited with|^\s+at .+:\d+:\d+\)?$/im);
    // Postgres shut down cleanly and its socket directory went with it.
    expect(existsSync(path.join(dataDir!, 'postmaster.pid'))).toBe(false);
    expect(existsSync(socketDir!)).toBe(false);
  });
});

describe('./switchboard dev when Postgres cannot start', () => {
  let checkout: string;
  const taken: Server[] = [];
  beforeAll(async () => {
    checkout = await copyCheckoutToClosedDirectory();
  });
  afterAll(async () => {
    for (const server of taken) server.close();
    const dataDir = await reachableDataDir(path.join(checkout, '.data', 'postgres'));
    if (/\/switchboard-[0-9a-f]{12}\/postgres$/.test(dataDir)) await rm(path.dirname(dataDir), { recursive: true, force: true });
    await rm(checkout, { recursive: true, force: true });
  });

  it('stops within seconds with exit code 1, saying why and what to do, without a stack', { timeout: 60_000 }, async () => {
    // Postgres's port is taken on both loopback addresses, as by another Postgres.
    const port = await freePort();
    for (const host of ['127.0.0.1', '::1']) {
      const server = createServer();
      await new Promise<void>((resolve) => server.once('error', () => resolve()).listen(port, host, () => resolve()));
      taken.push(server);
    }
    const env: NodeJS.ProcessEnv = { ...process.env, DEV_PG_PORT: String(port) };
    delete env.DATABASE_URL;
    const started = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('./switchboard', ['dev'], { cwd: checkout, env, timeout: 50_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    const output = plain(stdout + stderr);
    expect(code, output).toBe(1);
    expect(output).toContain(`Postgres cannot start: port ${port} is already in use`);
    expect(output).toContain('choose another port (DEV_PG_PORT');
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
